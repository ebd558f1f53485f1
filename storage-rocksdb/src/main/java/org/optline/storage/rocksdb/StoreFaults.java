package org.optline.storage.rocksdb;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.optline.core.storage.StorageException;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageHealth;
import org.optline.core.storage.StorageUnavailableException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Turns what RocksDB says about a failed read or write into a {@link StorageFault} of the
 * store's {@link StorageHealth} and the exception its caller gets. RocksDB's messages name files
 * and offsets, never a key (it leaves data out of its errors unless told otherwise), so they may
 * be logged as they are.
 */
final class StoreFaults {
    /**
     * How long a sender waits after a full disk or a failing write: RocksDB looks every 5 s
     * whether enough space came back to resume, and the writer tries an empty write every second.
     */
    static final Duration UNWRITABLE_RETRY_AFTER = Duration.ofSeconds(5);
    /** A damaged store waits for an operator: a sender had better go elsewhere, and not soon here. */
    static final Duration CORRUPT_RETRY_AFTER = Duration.ofSeconds(60);

    private final Path directory;
    private final StorageHealth health;
    private final Map<Integer, String> familyNames;

    StoreFaults(Path directory, StorageHealth health, Map<Integer, String> familyNames) {
        this.directory = directory;
        this.health = health;
        this.familyNames = Map.copyOf(familyNames);
    }

    StorageHealth health() {
        return health;
    }

    /** The fault RocksDB's error stands for, or null when it is no storage fault (a bug, a closed store). */
    static StorageFault classify(RocksDBException e) {
        Status status = e.getStatus();
        Status.Code code = status == null ? null : status.getCode();
        String message = String.valueOf(e.getMessage());
        if (code == Status.Code.Corruption || message.contains("Corruption:")) {
            return StorageFault.CORRUPT;
        }
        if ((status != null && status.getSubCode() == Status.SubCode.NoSpace)
                || message.contains("No space left on device")) {
            return StorageFault.DISK_FULL;
        }
        if (code == Status.Code.IOError) {
            return StorageFault.WRITE_FAILED;
        }
        return null;
    }

    /** Non-null while writes are refused without trying: the store is known to be damaged. */
    StorageUnavailableException refusingWrites() {
        if (health.fault().orElse(null) != StorageFault.CORRUPT) {
            return null;
        }
        return new StorageUnavailableException(StorageFault.CORRUPT, CORRUPT_RETRY_AFTER, "the store in " + directory
                + " is damaged and takes no writes until it is restored (" + health.detail() + ")", null);
    }

    /** A group commit failed: reports the fault, if it is one, and returns what its writes fail with. */
    Exception writeFailed(RocksDBException e) {
        StorageFault fault = classify(e);
        if (fault == null) {
            return e;
        }
        String message = String.valueOf(e.getMessage());
        String detail = switch (fault) {
            case DISK_FULL -> "the disk of the store in " + directory + " is full (" + message + "); writes are"
                    + " refused with STORAGE_UNAVAILABLE until space is freed on it (RocksDB resumes once"
                    + " " + (RocksStorage.MIN_FREE_TO_OPEN >> 20) + " MiB are free)";
            case WRITE_FAILED -> "the store in " + directory + " cannot write (" + message + "); writes are refused"
                    + " with STORAGE_UNAVAILABLE; check the disk and the file system (read-only? failing?)";
            case CORRUPT -> "the store in " + directory + " found damage while writing (" + message + "); it takes"
                    + " no more writes; restore it from a backup";
        };
        health.report(fault, detail);
        return new StorageUnavailableException(fault, retryAfter(fault), detail, e);
    }

    /** A group commit succeeded: a full disk or a failing write is over. */
    void writeSucceeded() {
        health.writable();
    }

    /**
     * A read failed. Damage is reported (the first time, with the column family it is in) and
     * answered as unavailable, so a reader gets an error rather than less data; anything else
     * is a plain storage failure.
     */
    RuntimeException readFailed(int familyId, RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        if (classify(e) == StorageFault.CORRUPT) {
            String detail = "the store in " + directory + " is corrupt: column family " + family(familyId)
                    + " (" + message + "); restore it from a backup";
            health.report(StorageFault.CORRUPT, detail);
            return new StorageUnavailableException(StorageFault.CORRUPT, CORRUPT_RETRY_AFTER, detail, e);
        }
        return new StorageException("cannot read the store in " + directory + ": " + message, e);
    }

    String family(int familyId) {
        return familyNames.getOrDefault(familyId, "#" + familyId);
    }

    static Duration retryAfter(StorageFault fault) {
        return fault == StorageFault.CORRUPT ? CORRUPT_RETRY_AFTER : UNWRITABLE_RETRY_AFTER;
    }
}
