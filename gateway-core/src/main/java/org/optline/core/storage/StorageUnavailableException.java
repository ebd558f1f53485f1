package org.optline.core.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * A store refused a write, or a read met damaged data, because of a {@link StorageFault}: nothing
 * was written. Retryable, later or on another node; the message says why, never with a phone number.
 */
public final class StorageUnavailableException extends RuntimeException {
    private final StorageFault fault;
    private final Duration retryAfter;

    public StorageUnavailableException(StorageFault fault, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.fault = Objects.requireNonNull(fault);
        this.retryAfter = Objects.requireNonNull(retryAfter);
    }

    public StorageFault fault() {
        return fault;
    }

    /** When a retry may succeed: how often the store looks whether its fault is over, or longer. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The storage fault behind {@code failure} (a future's failure, possibly wrapped), or null. */
    public static StorageUnavailableException of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageUnavailableException unavailable) {
                return unavailable;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
