package org.optline.core.store;

/** The durable store cannot be opened or used; the message says why and what to do. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
