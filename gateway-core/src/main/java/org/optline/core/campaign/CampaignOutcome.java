package org.optline.core.campaign;

import org.optline.core.message.Reason;

/**
 * What happened to one audience member at one moment of a campaign: an admission outcome (the
 * final reasons of SPEC §3), or one of the campaign's own: held for quiet hours, put back after a
 * retryable refusal, dropped at the end time, or never sendable within its quiet hours.
 */
public enum CampaignOutcome {
    ACCEPTED(Reason.ACCEPTED),
    INVALID_RECIPIENT(Reason.INVALID_RECIPIENT),
    INVALID_MESSAGE(Reason.INVALID_MESSAGE),
    UNKNOWN_TEMPLATE(Reason.UNKNOWN_TEMPLATE),
    REJECTED_SPAM(Reason.REJECTED_SPAM),
    BLOCKED(Reason.BLOCKED),
    OPTED_OUT(Reason.OPTED_OUT),
    NOT_OPTED_IN(Reason.NOT_OPTED_IN),
    TIER_LIMIT_REACHED(Reason.TIER_LIMIT_REACHED),
    FREQUENCY_CAPPED(Reason.FREQUENCY_CAPPED),
    DUPLICATE_CONTENT(Reason.DUPLICATE_CONTENT),
    BUSINESS_PAUSED(Reason.BUSINESS_PAUSED),
    /** Due while the recipient was in quiet hours: held until they end (an event, not a final outcome). */
    HELD_QUIET_HOURS(null),
    /** Answered RATE_LIMITED or OVERLOADED: submitted again later (an event, not a final outcome). */
    RETRIED(null),
    /** Not sent before the campaign's end time. */
    EXPIRED(null),
    /** Quiet hours in the recipient's zones leave no hour to send in. */
    NO_SENDING_WINDOW(null);

    private final Reason reason;

    CampaignOutcome(Reason reason) {
        this.reason = reason;
    }

    /** The admission reason this outcome stands for; null for the campaign's own outcomes. */
    public Reason reason() {
        return reason;
    }

    /** True for the outcomes of a message that went through admission and got its final answer. */
    public boolean isAdmission() {
        return reason != null;
    }

    /** The outcome of a final admission answer; retryable reasons are {@link #RETRIED}. */
    public static CampaignOutcome of(Reason reason) {
        if (reason.isRetryable()) {
            return RETRIED;
        }
        for (CampaignOutcome outcome : values()) {
            if (outcome.reason == reason) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("no campaign outcome for " + reason);
    }
}
