package org.optline.core.consent;

/** What a consent change does. */
public enum ConsentAction {
    /** Opt in to one class from one business. */
    OPT_IN,
    /** Opt out of one class from one business. */
    OPT_OUT,
    /** No message of any class from one business. */
    BLOCK,
    UNBLOCK,
    /** Marketing off for every business at once; alerts still pass. */
    MARKETING_OFF,
    MARKETING_ON;

    /** True for the actions that concern every business rather than one. */
    public boolean isRecipientWide() {
        return this == MARKETING_OFF || this == MARKETING_ON;
    }

    /** True for the actions that need a consent class. */
    public boolean needsClass() {
        return this == OPT_IN || this == OPT_OUT;
    }
}
