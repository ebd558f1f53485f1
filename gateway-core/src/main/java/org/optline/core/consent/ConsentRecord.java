package org.optline.core.consent;

/**
 * The consent stored under one {@link ConsentKey}. On a recipient-wide key only
 * {@code marketing} is used: OPTED_OUT there means marketing is off for every business.
 */
public record ConsentRecord(ConsentState transactional, ConsentState marketing, boolean blocked) {
    /** No record at all: nothing is allowed. */
    public static final ConsentRecord NONE = new ConsentRecord(ConsentState.ABSENT, ConsentState.ABSENT, false);

    public ConsentState state(ConsentClass consentClass) {
        return consentClass == ConsentClass.MARKETING ? marketing : transactional;
    }

    /** The record after a change; the change's key must be this record's key. */
    public ConsentRecord apply(ConsentChange change) {
        return switch (change.action()) {
            case OPT_IN -> with(change.consentClass(), ConsentState.OPTED_IN);
            case OPT_OUT -> with(change.consentClass(), ConsentState.OPTED_OUT);
            case BLOCK -> new ConsentRecord(transactional, marketing, true);
            case UNBLOCK -> new ConsentRecord(transactional, marketing, false);
            case MARKETING_OFF -> new ConsentRecord(transactional, ConsentState.OPTED_OUT, blocked);
            case MARKETING_ON -> new ConsentRecord(transactional, ConsentState.ABSENT, blocked);
        };
    }

    private ConsentRecord with(ConsentClass consentClass, ConsentState state) {
        return consentClass == ConsentClass.MARKETING
                ? new ConsentRecord(transactional, state, blocked)
                : new ConsentRecord(state, marketing, blocked);
    }
}
