package org.optline.storage.rocksdb;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * For the gateway's own tests, in the store's package: the store's fault hook (a disk that
 * answers NoSpace) and where a column family's table files are, so that a test can damage one.
 */
public final class StoreFaultInjection {
    private StoreFaultInjection() {}

    /** Every group commit from now on fails as a full disk would, until {@link #diskHasRoomAgain}. */
    public static void diskIsFull(RocksStorageEngine engine) {
        engine.storage().failWritesWith(new RocksDBException(
                "IO error: No space left on device: While appending to file: 000004.log",
                new Status(Status.Code.IOError, Status.SubCode.NoSpace, "No space left on device")));
    }

    public static void diskHasRoomAgain(RocksStorageEngine engine) {
        engine.storage().failWritesWith(null);
    }

    /** The largest table file of a column family in a closed store. */
    public static Path largestTableFile(Path store, String family) throws RocksDBException {
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, store.toString());
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] name : names) {
            descriptors.add(new ColumnFamilyDescriptor(name));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.openReadOnly(options, store.toString(), descriptors, handles)) {
            try {
                LiveFileMetaData largest = null;
                for (LiveFileMetaData table : db.getLiveFilesMetaData()) {
                    if (new String(table.columnFamilyName(), StandardCharsets.US_ASCII).equals(family)
                            && (largest == null || table.size() > largest.size())) {
                        largest = table;
                    }
                }
                if (largest == null) {
                    throw new IllegalStateException("no table file of " + family + " in " + store);
                }
                String file = largest.fileName().startsWith("/") ? largest.fileName().substring(1) : largest.fileName();
                return store.resolve(file);
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }
}
