package org.optline.core.message;

/** Why a message was accepted or refused; the codes of SPEC section 3, in admission order. */
public enum Reason {
    ACCEPTED,
    RATE_LIMITED,
    INVALID_RECIPIENT,
    INVALID_MESSAGE,
    UNKNOWN_TEMPLATE,
    REJECTED_SPAM,
    BLOCKED,
    OPTED_OUT,
    NOT_OPTED_IN,
    TIER_LIMIT_REACHED,
    FREQUENCY_CAPPED,
    DUPLICATE_CONTENT,
    BUSINESS_PAUSED,
    OVERLOADED,
    /**
     * The store cannot take writes (its disk is full, it fails to write, or it is known to be
     * corrupt): nothing was queued. Unlike {@link #OVERLOADED} it lasts until an operator acts
     * or space comes back, so the retry comes seconds later, and better on another node.
     */
    STORAGE_UNAVAILABLE;

    /** True for refusals that may succeed on a later retry of the same message. */
    public boolean isRetryable() {
        return this == RATE_LIMITED || this == OVERLOADED || this == STORAGE_UNAVAILABLE;
    }
}
