package org.optline.core.storage;

import java.nio.file.Path;

/**
 * A consistent copy of a store, made while it ran and checked after: where it is, the last
 * group commit it holds (every write acknowledged before the backup began is in it), and how
 * many table files and bytes it has.
 */
public record StoreBackup(Path directory, long commit, int files, long bytes) {}
