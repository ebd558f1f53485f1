package org.optline.storage.rocksdb;

import java.nio.file.Path;
import java.time.InstantSource;
import org.optline.core.admission.ConsentPropertyTest;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.storage.StorageEngine;

/** The consent property over the RocksDB engine: every consent change and every accepted batch an fsync. */
class RocksConsentPropertyTest extends ConsentPropertyTest {
    @Override
    protected StoreKind kind() {
        return new StoreKind() {
            @Override
            public String name() {
                return "ROCKSDB";
            }

            @Override
            public int stepsPerRun() {
                return 250;
            }

            @Override
            public StorageEngine open(Path directory, InstantSource clock) {
                return RocksStorageEngine.open(directory, clock, IdempotencyWindow.DEFAULT_WINDOW);
            }
        };
    }
}
