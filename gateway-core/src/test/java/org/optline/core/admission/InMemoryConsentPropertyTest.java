package org.optline.core.admission;

import java.nio.file.Path;
import java.time.InstantSource;
import org.optline.core.storage.StorageEngine;
import org.optline.core.storage.memory.InMemoryStorageEngine;

/** The consent property over the in-memory engine. */
class InMemoryConsentPropertyTest extends ConsentPropertyTest {
    @Override
    protected StoreKind kind() {
        return new StoreKind() {
            @Override
            public String name() {
                return "IN_MEMORY";
            }

            @Override
            public int stepsPerRun() {
                return 150;
            }

            @Override
            public StorageEngine open(Path directory, InstantSource clock) {
                return new InMemoryStorageEngine();
            }
        };
    }
}
