package org.optline.core.delivery;

import java.util.Objects;

/**
 * What the delivery side reports about messages it was handed: delivered (acknowledged), read,
 * or given up with a reason. Each is idempotent: reporting it again changes nothing.
 */
public record Settlement(MessageState state, String reason) {
    /** The most characters of a failure reason kept: a short code or phrase, not a log. */
    public static final int MAX_REASON_LENGTH = 200;

    /** A run of digits long enough to be (part of) a phone number. */
    private static final java.util.regex.Pattern DIGIT_RUN = java.util.regex.Pattern.compile("\\+?\\d{5,}");

    public static final Settlement DELIVERED = new Settlement(MessageState.DELIVERED, "");
    public static final Settlement READ = new Settlement(MessageState.READ, "");

    public Settlement {
        Objects.requireNonNull(state);
        reason = Objects.requireNonNullElse(reason, "");
        if (state != MessageState.DELIVERED && state != MessageState.READ && state != MessageState.FAILED) {
            throw new IllegalArgumentException("the delivery side reports DELIVERED, READ or FAILED, not " + state);
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("a failure reason is at most " + MAX_REASON_LENGTH + " characters");
        }
    }

    /**
     * Given up for {@code reason}. The reason goes to the sender (its status and webhook), so a
     * run of digits in it is masked: the delivery side may quote a number, the business must not
     * learn it from us.
     */
    public static Settlement failed(String reason) {
        String text = reason == null ? "" : reason;
        return new Settlement(MessageState.FAILED, DIGIT_RUN.matcher(text).replaceAll("•••"));
    }
}
