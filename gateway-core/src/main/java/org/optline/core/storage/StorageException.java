package org.optline.core.storage;

/** A storage engine cannot be opened or used; the message says why and what to do. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
