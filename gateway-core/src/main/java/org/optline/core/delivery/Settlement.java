package org.optline.core.delivery;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the delivery side reports about messages it was handed: delivered (acknowledged), read,
 * or given up with a reason. Each is idempotent: reporting it again changes nothing.
 *
 * <p>A failure reason goes to the sender (its status and webhook), so anything in it that may be
 * a phone number is masked when the settlement is made, whichever way it is made: the delivery
 * side may quote a number, the business must not learn it from us.
 */
public record Settlement(MessageState state, String reason) {
    /** The most characters of a failure reason kept: a short code or phrase, not a log. */
    public static final int MAX_REASON_LENGTH = 200;
    /** What a number in a reason becomes. */
    static final String MASK = "•••";

    private static final PhoneNumberUtil NUMBERS = PhoneNumberUtil.getInstance();
    /**
     * Five or more digits, also when written with spaces, dots, dashes, slashes or parentheses
     * between them ({@code (415) 555-0123}): part of a phone number in any national format.
     */
    private static final Pattern DIGITS = Pattern.compile("\\+?\\(?\\d(?:[\\s().\\-/]{0,3}\\d){4,}");

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
        reason = masked(reason);
    }

    /** Given up for {@code reason} (masked like every reason). */
    public static Settlement failed(String reason) {
        return new Settlement(MessageState.FAILED, reason);
    }

    /**
     * The text with every number in it masked: the ones libphonenumber finds in international
     * form (whatever their spacing), then any other run of five or more digits.
     */
    static String masked(String text) {
        if (text.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        for (PhoneNumberMatch match : NUMBERS.findNumbers(text, "ZZ", PhoneNumberUtil.Leniency.POSSIBLE,
                Long.MAX_VALUE)) {
            out.append(text, from, match.start()).append(MASK);
            from = match.end();
        }
        out.append(text, from, text.length());
        return DIGITS.matcher(out).replaceAll(MASK);
    }
}
