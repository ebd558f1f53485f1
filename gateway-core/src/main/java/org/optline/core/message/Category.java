package org.optline.core.message;

import org.optline.core.consent.ConsentClass;

/** What a message really is; decides which class of consent it needs. */
public enum Category {
    /** An update to something the person has with the business: balance, booking, flight. */
    TRANSACTIONAL,
    /** A one-time code. */
    AUTHENTICATION,
    /** Offers, promotions, newsletters: anything meant to sell. */
    MARKETING;

    /** The class of consent a message of this category needs. */
    public ConsentClass consentClass() {
        return this == MARKETING ? ConsentClass.MARKETING : ConsentClass.TRANSACTIONAL;
    }
}
