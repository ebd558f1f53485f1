package org.optline.core.storage.memory;

import java.nio.file.Path;
import org.optline.core.delivery.DeliveryEngineContractTest;
import org.optline.core.storage.StorageEngine;

/** The delivery side's contract on the in-memory engine. */
class InMemoryDeliveryEngineTest extends DeliveryEngineContractTest {
    @Override
    protected StorageEngine open(Path directory) {
        return new InMemoryStorageEngine();
    }

    @Override
    protected boolean durable() {
        return false;
    }
}
