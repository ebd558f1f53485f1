/**
 * The storage engine on RocksDB. Start at {@link org.optline.storage.rocksdb.RocksStorageEngine};
 * {@link org.optline.storage.rocksdb.RocksStorage} opens the database, and every durable write
 * goes through one group-committing writer ({@code GroupCommitter}) that fsyncs each group
 * before any of its futures completes. Reads run on the calling thread: the services call the
 * engine on their store threads and admission on its own pool, never on an event loop.
 */
package org.optline.storage.rocksdb;
