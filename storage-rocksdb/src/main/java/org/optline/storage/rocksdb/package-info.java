/**
 * The storage engine on RocksDB. Start at {@link org.optline.storage.rocksdb.RocksStorageEngine};
 * {@link org.optline.storage.rocksdb.RocksStorage} opens the database (checking it read-only
 * first: the {@code AcknowledgedMark} and the table files' checksums), and every durable write
 * goes through one group-committing writer ({@code GroupCommitter}) that fsyncs each group
 * before any of its futures completes. {@code StoreFaults} turns RocksDB's errors into the
 * store's {@link org.optline.core.storage.StorageHealth}. Reads run on the calling thread: the
 * services call the engine on their store threads and admission on its own pool, never on an
 * event loop; the mark is kept up to date on its own thread ({@code optline-store-mark}).
 *
 * <p>Recipients at rest: keys hold tokens and values sealed numbers ({@code Keys}, {@code Codec});
 * {@code RecipientVault} brings the secret and the {@code RocksRecipientKeyring} of data keys from
 * the keys directory, and {@code SealingMigration} moves a store of the earlier layout at its first
 * open.
 */
package org.optline.storage.rocksdb;
