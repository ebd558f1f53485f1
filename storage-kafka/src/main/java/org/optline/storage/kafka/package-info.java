/**
 * The storage engine of gateway nodes on Apache Kafka: {@link org.optline.storage.kafka.KafkaStorageEngine}.
 */
package org.optline.storage.kafka;
