package org.optline.storage.kafka;

/**
 * The sequence numbers of outbox events across the partitions a node owns: the partition's own
 * sequence shifted left, the partition in the low bits. The engine hands out one partition's
 * events at a time, so a removal "through" a sequence names one partition and a point in it.
 */
final class OutboxSequences {
    /** Partitions of the delivery topic at most: 4096 is far more than any deployment of this gateway needs. */
    static final int PARTITION_BITS = 12;

    private OutboxSequences() {}

    static long of(int partition, long sequence) {
        return (sequence << PARTITION_BITS) | partition;
    }

    static int partition(long numbered) {
        return (int) (numbered & ((1 << PARTITION_BITS) - 1));
    }

    static long sequence(long numbered) {
        return numbered >>> PARTITION_BITS;
    }
}
