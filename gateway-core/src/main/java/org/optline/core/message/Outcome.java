package org.optline.core.message;

import java.util.Objects;

/**
 * The answer for one message: accepted with its message id, or refused with a reason. A
 * refusal is a value, never an exception.
 *
 * @param messageId set when accepted, null otherwise
 * @param category the effective category; the declared one when the message was refused before
 *     classification, null when it was refused before even that was read (RATE_LIMITED, OVERLOADED)
 * @param retryAfterMillis for retryable refusals: when a retry may succeed; 0 otherwise
 * @param detail a human-readable explanation, never containing a phone number; empty when accepted as
 *     declared, the classifier's reason when accepted in another category
 */
public record Outcome(
        String clientMessageId,
        Reason reason,
        String messageId,
        Category category,
        boolean reclassified,
        boolean duplicate,
        long retryAfterMillis,
        String detail) {

    public Outcome {
        Objects.requireNonNull(clientMessageId);
        Objects.requireNonNull(reason);
        detail = Objects.requireNonNullElse(detail, "");
    }

    public static Outcome accepted(String clientMessageId, String messageId, Category category, boolean reclassified) {
        return new Outcome(clientMessageId, Reason.ACCEPTED, messageId, category, reclassified, false, 0, "");
    }

    public static Outcome refused(String clientMessageId, Reason reason, Category category, boolean reclassified,
                                  String detail) {
        return new Outcome(clientMessageId, reason, null, category, reclassified, false, 0, detail);
    }

    public static Outcome retryLater(String clientMessageId, Reason reason, long retryAfterMillis, String detail) {
        return new Outcome(clientMessageId, reason, null, null, false, false, retryAfterMillis, detail);
    }

    public boolean isAccepted() {
        return reason == Reason.ACCEPTED;
    }

    /** The same outcome returned again for a repeated client_message_id. */
    public Outcome asDuplicate() {
        return new Outcome(clientMessageId, reason, messageId, category, reclassified, true, retryAfterMillis, detail);
    }
}
