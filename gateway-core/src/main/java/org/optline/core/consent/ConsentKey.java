package org.optline.core.consent;

import java.util.Objects;
import org.optline.core.recipient.PhoneNumber;

/**
 * Where a consent record lives: a recipient and a business, or a recipient and
 * {@link #EVERY_BUSINESS} for the switches that concern all businesses at once.
 */
public record ConsentKey(PhoneNumber recipient, String businessId) {
    /** The business id of the recipient-wide record; not a valid business id, so it cannot clash. */
    public static final String EVERY_BUSINESS = "*";

    public ConsentKey {
        Objects.requireNonNull(recipient);
        Objects.requireNonNull(businessId);
    }

    public static ConsentKey everyBusiness(PhoneNumber recipient) {
        return new ConsentKey(recipient, EVERY_BUSINESS);
    }

    public boolean isRecipientWide() {
        return EVERY_BUSINESS.equals(businessId);
    }
}
