package org.optline.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the store's health to the operator: one ERROR line when a fault begins and one when it
 * ends (both at ERROR, so that an alert on ERROR lines sees the incident open and close), the
 * gauge {@code optline.storage.fault{fault}} (1 while the store is in that fault) and the counter
 * {@code optline.storage.faults{fault}} (how often each began). The details name the store's
 * directory, column family and file, never a key.
 */
public final class MicrometerStorageHealth implements StorageHealth.Listener {
    private static final Logger log = LoggerFactory.getLogger(MicrometerStorageHealth.class);

    private MicrometerStorageHealth() {}

    /** Registers the meters and starts listening; a fault the store is in already is logged at once. */
    public static void bind(StorageHealth health, MeterRegistry registry) {
        for (StorageFault fault : StorageFault.values()) {
            String tag = fault.name().toLowerCase(Locale.ROOT);
            Gauge.builder("optline.storage.fault", health, h -> h.fault().orElse(null) == fault ? 1 : 0)
                    .description("1 while the store is in this fault: the node refuses writes and is not ready")
                    .tag("fault", tag)
                    .register(registry);
            FunctionCounter.builder("optline.storage.faults", health, h -> h.timesBegan(fault))
                    .description("Storage faults that began since the node started")
                    .tag("fault", tag)
                    .register(registry);
        }
        health.watch(new MicrometerStorageHealth());
    }

    @Override
    public void faultBegan(StorageFault fault, String detail) {
        log.error("storage fault {} began: {}. The node reports not ready and refuses writes while it lasts", fault,
                detail);
    }

    @Override
    public void faultEnded(StorageFault fault, String detail) {
        log.error("storage fault {} ended: {}. The node is ready again", fault, detail);
    }
}
