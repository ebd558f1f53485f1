/**
 * Durable storage on RocksDB. Start at {@link org.optline.core.store.RocksStorage}, which opens
 * the database; {@link org.optline.core.store.RocksDeliveryQueues},
 * {@link org.optline.core.store.RocksConsentStore} and
 * {@link org.optline.core.store.RocksIdempotencyRecords} implement the core's storage interfaces
 * on it, and every durable write goes through one group-committing writer.
 */
package org.optline.core.store;
