/**
 * The storage-engine seam: {@link org.optline.core.storage.StorageEngine} is what an engine
 * implements whole. The in-memory engine is in {@code storage.memory}; the RocksDB engine is its
 * own module ({@code storage-rocksdb}), so that the core depends on no database.
 */
package org.optline.core.storage;
