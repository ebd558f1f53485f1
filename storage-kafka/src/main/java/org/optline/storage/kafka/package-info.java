/**
 * The storage engine of gateway nodes on Apache Kafka: {@link org.optline.storage.kafka.KafkaStorageEngine}.
 * Start there; then {@link org.optline.storage.kafka.KafkaDelivery} (the delivery side as every node
 * sees it), {@link org.optline.storage.kafka.DeliveryOwner} and
 * {@link org.optline.storage.kafka.PartitionView} (the owner of a partition and its view),
 * {@link org.optline.storage.kafka.Peers} (forwarding to the owner), and
 * {@link org.optline.storage.kafka.TableReader} with the tables every node reads whole (consents,
 * requests, webhooks, templates, quality, nodes).
 */
package org.optline.storage.kafka;
