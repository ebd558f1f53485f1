package org.optline.core.admission;

import java.time.Duration;

/**
 * The bounds admission enforces.
 *
 * @param maxBatchSize messages in one submission
 * @param maxTextLength characters of a text or of one template parameter
 * @param maxClientMessageIdLength characters of client_message_id and campaign_id
 * @param maxTtl the longest ttl_seconds a message may ask for
 * @param maxPendingAppends messages handed to the delivery queues and not yet safe; past it,
 *     OVERLOADED, so that a slow disk is answered and never fills the heap
 * @param overloadRetryAfter what an OVERLOADED answer tells the sender to wait
 * @param maxAppendWait how long an append to the delivery queues may take before new ones are
 *     OVERLOADED: the store's queue, bounded by its delay rather than only by its length
 */
public record AdmissionPolicy(
        int maxBatchSize,
        int maxTextLength,
        int maxClientMessageIdLength,
        Duration maxTtl,
        int maxPendingAppends,
        Duration overloadRetryAfter,
        Duration maxAppendWait) {

    /** SPEC: a submission carries up to 1 000 messages. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 1_000;
    /** Ten SMS segments' worth; longer texts are documents, not notifications. */
    public static final int DEFAULT_MAX_TEXT_LENGTH = 1_600;
    /** Long enough for a UUID with a prefix, short enough to keep idempotency records small. */
    public static final int DEFAULT_MAX_CLIENT_MESSAGE_ID_LENGTH = 128;
    /** A notification older than a week is not worth delivering. */
    public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(7);
    /**
     * Room for 16 connections × 128 requests × 100 messages waiting for their group commit, about
     * 130 MB of heap at 500 bytes a message; more than that in flight is a client outrunning the disk.
     */
    public static final int DEFAULT_MAX_PENDING_APPENDS = 262_144;
    /** Long enough for a group commit or two to drain the backlog. */
    public static final Duration DEFAULT_OVERLOAD_RETRY_AFTER = Duration.ofMillis(50);
    /**
     * Twenty group commits or so: far above a healthy append (two fsyncs, 2-6 ms here) so that an
     * fsync spike refuses little, and short enough that what is accepted under overload is answered
     * within a fraction of a second, not after the seconds a queue of 262 144 messages takes.
     */
    public static final Duration DEFAULT_MAX_APPEND_WAIT = Duration.ofMillis(100);

    public static final AdmissionPolicy DEFAULTS = new AdmissionPolicy(DEFAULT_MAX_BATCH_SIZE,
            DEFAULT_MAX_TEXT_LENGTH, DEFAULT_MAX_CLIENT_MESSAGE_ID_LENGTH, DEFAULT_MAX_TTL,
            DEFAULT_MAX_PENDING_APPENDS, DEFAULT_OVERLOAD_RETRY_AFTER, DEFAULT_MAX_APPEND_WAIT);

    /** The bounds with the default append wait. */
    public AdmissionPolicy(int maxBatchSize, int maxTextLength, int maxClientMessageIdLength, Duration maxTtl,
                           int maxPendingAppends, Duration overloadRetryAfter) {
        this(maxBatchSize, maxTextLength, maxClientMessageIdLength, maxTtl, maxPendingAppends, overloadRetryAfter,
                DEFAULT_MAX_APPEND_WAIT);
    }

    public AdmissionPolicy {
        if (maxBatchSize <= 0 || maxTextLength <= 0 || maxClientMessageIdLength <= 0 || maxPendingAppends <= 0) {
            throw new IllegalArgumentException("admission bounds must be positive");
        }
        if (maxTtl.isNegative() || overloadRetryAfter.isNegative()) {
            throw new IllegalArgumentException("admission durations must not be negative");
        }
        if (maxAppendWait.isNegative() || maxAppendWait.isZero()) {
            throw new IllegalArgumentException("the append wait must be positive");
        }
    }
}
