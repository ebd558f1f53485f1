package org.optline.core.consent;

/** The two classes of consent: transactional covers TRANSACTIONAL and AUTHENTICATION, marketing covers MARKETING. */
public enum ConsentClass {
    TRANSACTIONAL,
    MARKETING
}
