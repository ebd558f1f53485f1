package org.optline.storage.kafka;

/** This node does not own the partition (any more): the caller finds the owner again and retries. */
final class NotOwnerException extends RuntimeException {
    NotOwnerException(int partition) {
        super("this node does not own delivery partition " + partition, null, false, false);
    }
}
