package org.optline.core.limit;

import java.time.Duration;

/**
 * The anti-spam limits of SPEC section 3 stage 7.
 *
 * @param marketingPerRecipient marketing messages one recipient gets from all businesses together per window
 * @param marketingPerRecipientPerBusiness marketing messages one recipient gets from one business per window
 * @param window the rolling window of the caps, the tier and the duplicate-content check (24 h)
 * @param trackedRecipients how many recipients' caps are kept in memory; beyond it the least recently
 *     seen are forgotten, which can only let a capped message through, never refuse an allowed one
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
    /** A few hundred bytes each: about a gigabyte at most for one million recipients. */
    public static final long DEFAULT_TRACKED_RECIPIENTS = 1_000_000;

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
