package org.optline.core.limit;

import java.time.Duration;

/**
 * The anti-spam limits of SPEC section 3 stage 7.
 *
 * @param marketingPerRecipient marketing messages one recipient gets from all businesses together per window
 * @param marketingPerRecipientPerBusiness marketing messages one recipient gets from one business per window
 * @param window the rolling window of the caps, the tier and the duplicate-content check (24 h)
 * @param trackedRecipients how many recipients' windows the limits keep in memory, for each of the two
 *     caches in front of the store (a business's last contact with a recipient; a recipient's offers);
 *     the store answers the rest
 */
public record AntiSpamPolicy(
        int marketingPerRecipient,
        int marketingPerRecipientPerBusiness,
        Duration window,
        long trackedRecipients) {

    /** Five offers a day from everyone together is already a lot for one person. */
    public static final int DEFAULT_MARKETING_PER_RECIPIENT = 5;
    /** Two offers a day from one business: one in the morning, one reminder. */
    public static final int DEFAULT_MARKETING_PER_RECIPIENT_PER_BUSINESS = 2;
    /** SPEC: every anti-spam window is a rolling 24 h. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    /**
     * About 150 bytes an entry: 15 MB per cache. The store answers a miss in microseconds and
     * pinned entries (counts not yet durable) come on top, so a larger cache saves little and
     * lengthens young collections, as for the idempotency window (docs/benchmarks.md).
     */
    public static final long DEFAULT_TRACKED_RECIPIENTS = 100_000;
    /**
     * SPEC: a business that used half its tier in a 7-day window moves up a tier, so its unique
     * recipients are counted over 7 days too (or over the tier's window, if that is longer).
     */
    public static final Duration REACH_WINDOW = Duration.ofDays(7);

    public static final AntiSpamPolicy DEFAULTS = new AntiSpamPolicy(
            DEFAULT_MARKETING_PER_RECIPIENT, DEFAULT_MARKETING_PER_RECIPIENT_PER_BUSINESS,
            DEFAULT_WINDOW, DEFAULT_TRACKED_RECIPIENTS);

    public AntiSpamPolicy {
        if (marketingPerRecipient <= 0 || marketingPerRecipientPerBusiness <= 0 || trackedRecipients <= 0) {
            throw new IllegalArgumentException("anti-spam limits must be positive");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the anti-spam window must be positive");
        }
    }
}
