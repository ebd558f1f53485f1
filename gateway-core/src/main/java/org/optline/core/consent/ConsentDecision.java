package org.optline.core.consent;

import java.util.Objects;
import org.optline.core.recipient.PhoneNumber;

/**
 * What a person decided, as the platform reports it, before it is stamped with a time and
 * recorded as a {@link ConsentChange}.
 *
 * @param businessId ignored for recipient-wide actions
 * @param consentClass for OPT_IN and OPT_OUT, null otherwise
 * @param source where the person decided; API when the platform does not say
 */
public record ConsentDecision(PhoneNumber recipient, String businessId, ConsentAction action,
                              ConsentClass consentClass, ConsentSource source, String wordingVersion) {
    public ConsentDecision {
        Objects.requireNonNull(recipient);
        Objects.requireNonNull(action);
        source = Objects.requireNonNullElse(source, ConsentSource.API);
        wordingVersion = Objects.requireNonNullElse(wordingVersion, "");
        businessId = action.isRecipientWide() ? ConsentKey.EVERY_BUSINESS : Objects.requireNonNull(businessId);
        if (action.needsClass() && consentClass == null) {
            throw new IllegalArgumentException(action + " needs a consent class");
        }
        if (!action.needsClass()) {
            consentClass = null;
        }
    }
}
