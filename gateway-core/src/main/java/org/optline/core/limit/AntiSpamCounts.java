package org.optline.core.limit;

import org.optline.core.recipient.PhoneNumber;

/**
 * What one accepted message counted against the anti-spam limits, to be written with the message
 * itself (see {@link org.optline.core.queue.DeliveryLog#append}): after a crash the message and
 * its counts are both there or neither is, so an acknowledged message is always counted and an
 * unacknowledged one never is.
 *
 * @param contactAtMillis the business's new last contact with the recipient (epoch
 *     milliseconds), for a business whose tier is counted; 0 when nothing was counted for the tier
 * @param replacedContactAtMillis the last contact it replaces (0 for none), whose entry in the
 *     store's time index goes
 * @param marketing the marketing message counted against the recipient's caps, or null
 */
public record AntiSpamCounts(String businessId, PhoneNumber recipient, long contactAtMillis,
                             long replacedContactAtMillis, MarketingSend marketing) {
    /** A message that counted nowhere: a transactional one of a business with an unlimited tier. */
    public static final AntiSpamCounts NONE = new AntiSpamCounts(null, null, 0, 0, null);

    /** True when the message moved the business's last contact with the recipient. */
    public boolean hasContact() {
        return contactAtMillis > 0;
    }

    public boolean isEmpty() {
        return !hasContact() && marketing == null;
    }
}
