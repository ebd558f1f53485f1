package org.optline.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The storage fault state machine: each fault told once when it begins and once when it ends. */
class StorageHealthTest {
    private final StorageHealth health = new StorageHealth();
    private final List<String> heard = new ArrayList<>();
    private final StorageHealth.Listener listener = new StorageHealth.Listener() {
        @Override
        public void faultBegan(StorageFault fault, String detail) {
            heard.add("began " + fault + ": " + detail);
        }

        @Override
        public void faultEnded(StorageFault fault, String detail) {
            heard.add("ended " + fault);
        }
    };

    @Test
    void aFullDiskIsToldOnceHoweverManyWritesFailAndEndsAtTheFirstWriteThatSucceeds() {
        health.watch(listener);

        assertThat(health.report(StorageFault.DISK_FULL, "no space")).isTrue();
        assertThat(health.report(StorageFault.DISK_FULL, "no space")).isFalse();
        assertThat(health.report(StorageFault.WRITE_FAILED, "I/O error")).as("still the same outage").isFalse();
        assertThat(health.fault()).contains(StorageFault.DISK_FULL);
        assertThat(health.writable()).isTrue();
        assertThat(health.writable()).isFalse();

        assertThat(heard).containsExactly("began DISK_FULL: no space", "ended DISK_FULL");
        assertThat(health.fault()).isEmpty();
        assertThat(health.timesBegan(StorageFault.DISK_FULL)).isEqualTo(1);
    }

    @Test
    void corruptionOutranksAFullDiskAndNeverEndsByItself() {
        health.watch(listener);
        health.report(StorageFault.DISK_FULL, "no space");

        assertThat(health.report(StorageFault.CORRUPT, "queues: 000012.sst")).isTrue();
        assertThat(health.writable()).isFalse();
        assertThat(health.report(StorageFault.DISK_FULL, "no space")).isFalse();

        assertThat(heard).containsExactly("began DISK_FULL: no space", "ended DISK_FULL",
                "began CORRUPT: queues: 000012.sst");
        assertThat(health.fault()).contains(StorageFault.CORRUPT);
        assertThat(health.detail()).isEqualTo("queues: 000012.sst");
    }

    @Test
    void aListenerThatComesLateHearsTheFaultTheStoreIsAlreadyIn() {
        health.report(StorageFault.CORRUPT, "found while opening");

        health.watch(listener);

        assertThat(heard).containsExactly("began CORRUPT: found while opening");
    }
}
