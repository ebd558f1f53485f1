/**
 * The storage-engine seam: {@link org.optline.core.storage.StorageEngine} is what an engine
 * implements whole. The in-memory engine is in {@code storage.memory}; the RocksDB engine is its
 * own module ({@code storage-rocksdb}), so that the core depends on no database. An engine
 * reports a full disk or damage on its {@link org.optline.core.storage.StorageHealth} and fails
 * what it cannot do with a {@link org.optline.core.storage.StorageUnavailableException};
 * {@link org.optline.core.storage.BackupService} makes online backups of it.
 */
package org.optline.core.storage;
