package org.optline.core.campaign;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a campaign has got, durable with every step: a cursor into the stored audience, the
 * outcomes so far, and how many members wait now (for their quiet hours to end, or to be tried
 * again). Everyone before the cursor was submitted, is waiting, or was dropped.
 *
 * @param cursor the ordinal of the next audience member not yet looked at
 * @param waitingQuietHours members held now until their quiet hours end
 * @param waitingRetry members put back now after RATE_LIMITED or OVERLOADED
 * @param startedAt when it first ran; null before
 * @param finishedAt when it completed or was cancelled; null before
 */
public record Progress(long cursor, Counts counts, long waitingQuietHours, long waitingRetry, Instant startedAt,
                       Instant finishedAt) {
    public static final Progress NONE = new Progress(0, Counts.ZERO, 0, 0, null, null);

    public Progress {
        Objects.requireNonNull(counts);
    }

    /** Members not sent to yet who still may be: after the cursor, or waiting. */
    public long remaining(long audience) {
        return Math.max(0, audience - cursor) + waitingQuietHours + waitingRetry;
    }

    public Progress withCursor(long next) {
        return new Progress(next, counts, waitingQuietHours, waitingRetry, startedAt, finishedAt);
    }

    public Progress withCounts(Counts next) {
        return new Progress(cursor, next, waitingQuietHours, waitingRetry, startedAt, finishedAt);
    }

    public Progress withWaiting(long quietHours, long retry) {
        return new Progress(cursor, counts, quietHours, retry, startedAt, finishedAt);
    }

    public Progress started(Instant at) {
        return new Progress(cursor, counts, waitingQuietHours, waitingRetry, startedAt == null ? at : startedAt,
                finishedAt);
    }

    public Progress finished(Instant at) {
        return new Progress(cursor, counts, waitingQuietHours, waitingRetry, startedAt, at);
    }
}
