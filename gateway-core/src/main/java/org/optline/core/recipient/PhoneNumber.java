package org.optline.core.recipient;

import com.github.benmanes.caffeine.cache.Cache;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Optional;
import org.optline.core.concurrent.Caches;

/**
 * A recipient's phone number in E.164, validated by libphonenumber. Its {@link #toString()}
 * is the masked form, so that a number printed by accident never appears in full.
 */
public final class PhoneNumber {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** E.164 allows at most 15 digits; anything much longer is not worth parsing. */
    private static final int MAX_INPUT_LENGTH = 32;

    /** The spec's own example hides three digits; shorter numbers never show more than that. */
    private static final int HIDDEN_DIGITS = 3;

    /**
     * Validation by libphonenumber is regex work of several microseconds, and the same
     * recipients come back all day (alerts go to customers), so valid inputs are remembered.
     * Bounded, and only valid numbers are kept, so junk input cannot fill it.
     */
    private static final Cache<String, PhoneNumber> RECENTLY_VALID =
            Caches.onCallingThread().maximumSize(500_000).build();

    private final String e164;

    private PhoneNumber(String e164) {
        this.e164 = e164;
    }

    /**
     * Parses an E.164 number ({@code +14155550123}); empty when libphonenumber does not accept
     * it as a valid number. Only the international form with a leading {@code +} is taken:
     * the API has no notion of a default region.
     */
    public static Optional<PhoneNumber> parse(String input) {
        if (input == null || input.length() > MAX_INPUT_LENGTH || !input.startsWith("+")) {
            return Optional.empty();
        }
        PhoneNumber known = RECENTLY_VALID.getIfPresent(input);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<PhoneNumber> parsed = validate(input);
        parsed.ifPresent(number -> RECENTLY_VALID.put(input, number));
        return parsed;
    }

    /**
     * Parses and validates like {@link #parse} without remembering the number: for numbers seen
     * once in bulk (a campaign's audience of a million), which would only push the recipients
     * who come back all day out of the cache.
     */
    public static Optional<PhoneNumber> parseOnce(String input) {
        if (input == null || input.length() > MAX_INPUT_LENGTH || !input.startsWith("+")) {
            return Optional.empty();
        }
        PhoneNumber known = RECENTLY_VALID.getIfPresent(input);
        return known != null ? Optional.of(known) : validate(input);
    }

    private static Optional<PhoneNumber> validate(String input) {
        try {
            Phonenumber.PhoneNumber parsed = UTIL.parse(input, null);
            if (!UTIL.isValidNumber(parsed)) {
                return Optional.empty();
            }
            return Optional.of(new PhoneNumber(UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164)));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /**
     * A number read back from a store that validated it when it was written: taken as it is, since
     * validating again costs microseconds and a newer libphonenumber may no longer accept an old
     * number that a store still has to account for. Never for input from outside.
     */
    public static PhoneNumber ofStored(String e164) {
        PhoneNumber known = RECENTLY_VALID.getIfPresent(e164);
        return known != null ? known : new PhoneNumber(e164);
    }

    /** The full number; for storage keys and delivery only, never for logs or messages. */
    public String e164() {
        return e164;
    }

    /** The form for logs and reports: {@code +1415•••0123}. */
    public String masked() {
        return mask(e164);
    }

    /**
     * Masks any string that may hold a number, hiding at least three digits in the middle
     * whatever the length: {@code +14155550123} → {@code +1415•••0123}, {@code +298212345} →
     * {@code +298•••345}.
     */
    public static String mask(String number) {
        if (number == null || number.length() < 7) {
            return "•••";
        }
        boolean plus = number.startsWith("+");
        String digits = plus ? number.substring(1) : number;
        int shown = digits.length() - HIDDEN_DIGITS;
        int head = Math.min(4, shown / 2);
        int tail = Math.min(4, shown - head);
        return (plus ? "+" : "") + digits.substring(0, head) + "•••" + digits.substring(digits.length() - tail);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhoneNumber other && e164.equals(other.e164);
    }

    @Override
    public int hashCode() {
        return e164.hashCode();
    }

    @Override
    public String toString() {
        return masked();
    }
}
