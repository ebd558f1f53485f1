package org.optline.core.webhook;

import java.time.Duration;

/**
 * How webhook events are sent: how many go in one request, how long a receiver may take, how
 * retries back off and when they give up, and how long a rotated-out secret keeps signing.
 *
 * @param maxBatch events in one request; under load the outbox fills while a request is out,
 *     and the next request carries up to this many
 * @param timeout how long a receiver may take to answer before the attempt counts as failed
 * @param maxAttempts attempts of one batch before its events go to the dead letters
 * @param backoffBase the wait after the first failed attempt; it doubles with each failure
 * @param backoffMax the longest wait between two attempts
 * @param secretOverlap how long a rotated-out secret keeps signing beside the new one
 * @param deadLetterRetention how long a dead letter is kept, counted from the change it reports
 */
public record WebhookPolicy(int maxBatch, Duration timeout, int maxAttempts, Duration backoffBase,
                            Duration backoffMax, Duration secretOverlap, Duration deadLetterRetention) {
    /** A batch of 100 events is about 30 KB of JSON: one quick request, and a hundredfold fewer under load. */
    public static final int DEFAULT_MAX_BATCH = 100;
    /** A receiver that cannot answer in ten seconds is as good as down; the events wait in the outbox. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * With the back-off below, 20 attempts span one to two hours (the jitter decides): a deploy or a
     * short outage is ridden out; a receiver down longer gets dead letters to replay, not a growing backlog.
     */
    public static final int DEFAULT_MAX_ATTEMPTS = 20;
    /** The first retry after a second: a blip is over by then. */
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(1);
    /** Never more than ten minutes between attempts, so a receiver that comes back hears from us soon. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMinutes(10);
    /** A day for a receiver to deploy the new secret. */
    public static final Duration DEFAULT_SECRET_OVERLAP = Duration.ofHours(24);
    /** A week to notice a broken receiver, fix it and replay; as long as the statuses are kept. */
    public static final Duration DEFAULT_DEAD_LETTER_RETENTION = Duration.ofDays(7);

    public static final WebhookPolicy DEFAULTS = new WebhookPolicy(DEFAULT_MAX_BATCH, DEFAULT_TIMEOUT,
            DEFAULT_MAX_ATTEMPTS, DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_MAX, DEFAULT_SECRET_OVERLAP,
            DEFAULT_DEAD_LETTER_RETENTION);

    public WebhookPolicy {
        if (maxBatch < 1 || maxBatch > 1_000 || maxAttempts < 1) {
            throw new IllegalArgumentException("a batch holds 1 to 1000 events and a batch gets at least one attempt");
        }
        for (Duration d : new Duration[] {timeout, backoffBase, backoffMax, deadLetterRetention}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("webhook durations must be positive");
            }
        }
        if (secretOverlap.isNegative()) {
            throw new IllegalArgumentException("the secret overlap must not be negative");
        }
        if (backoffBase.compareTo(backoffMax) > 0) {
            throw new IllegalArgumentException("the first back-off must not exceed the longest");
        }
    }

    /**
     * The wait after the {@code failures}-th failed attempt in a row: the base doubled for each
     * earlier failure, capped, then "equal jitter" (half of it fixed, half random), so that the
     * retries of many businesses after one outage do not arrive together.
     *
     * @param random a number in [0, 1)
     */
    public Duration backoff(int failures, double random) {
        long base = backoffBase.toMillis();
        long cap = backoffMax.toMillis();
        long full = failures >= 40 ? cap : Math.min(cap, base << Math.max(0, failures - 1));
        if (full < 0) {
            full = cap;
        }
        long half = full / 2;
        return Duration.ofMillis(half + (long) (random * (full - half)));
    }
}
