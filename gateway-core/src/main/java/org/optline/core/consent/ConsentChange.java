package org.optline.core.consent;

import java.time.Instant;
import java.util.Objects;
import org.optline.core.recipient.PhoneNumber;

/**
 * One change to a person's consent, as it is applied and kept in the audit trail.
 *
 * @param businessId the business concerned; {@link ConsentKey#EVERY_BUSINESS} for recipient-wide actions
 * @param consentClass the class for OPT_IN and OPT_OUT, null otherwise
 * @param wordingVersion the version of the wording the person was shown, may be empty
 */
public record ConsentChange(
        PhoneNumber recipient,
        String businessId,
        ConsentAction action,
        ConsentClass consentClass,
        ConsentSource source,
        String wordingVersion,
        Instant at) {

    public ConsentChange {
        Objects.requireNonNull(recipient);
        Objects.requireNonNull(action);
        Objects.requireNonNull(source);
        Objects.requireNonNull(at);
        wordingVersion = Objects.requireNonNullElse(wordingVersion, "");
        if (action.isRecipientWide()) {
            businessId = ConsentKey.EVERY_BUSINESS;
        }
        Objects.requireNonNull(businessId);
        if (action.needsClass() && consentClass == null) {
            throw new IllegalArgumentException(action + " needs a consent class");
        }
    }

    /** The record this change touches. */
    public ConsentKey key() {
        return new ConsentKey(recipient, businessId);
    }
}
