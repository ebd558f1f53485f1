package org.optline.core.consent;

/** A person's answer for one (business, class); ABSENT means no. */
public enum ConsentState {
    ABSENT,
    OPTED_IN,
    OPTED_OUT
}
