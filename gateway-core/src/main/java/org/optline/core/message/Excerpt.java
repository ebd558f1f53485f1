package org.optline.core.message;

import java.util.Locale;

/**
 * A value the caller sent, as an answer may quote it back: short, in quotes, with every digit
 * masked, so that a phone number in any spelling (spaces, dashes, dots) never comes back; a
 * value longer than {@link #MAX_LENGTH} or one that looks like an API key is described by its
 * length alone, so that a key pasted into a field never comes back either.
 */
public final class Excerpt {
    /** Long enough for a mistyped field or enum name, too short for most of a key. */
    public static final int MAX_LENGTH = 24;
    private static final char MASK = '•';

    private Excerpt() {}

    /** {@code "recipent"}, {@code "+• ••• ••• ••••"}, or {@code a value of 45 characters}. */
    public static String of(String value) {
        if (value == null) {
            return "an absent value";
        }
        int length = value.codePointCount(0, value.length());
        String lower = value.toLowerCase(Locale.ROOT);
        if (length > MAX_LENGTH || lower.contains("olk_") || lower.contains("olp_")) {
            return "a value of " + length + " characters";
        }
        StringBuilder masked = new StringBuilder(value.length() + 2).append('"');
        value.codePoints().forEach(c -> {
            if (Character.isDigit(c)) {
                masked.append(MASK);
            } else if (Character.isISOControl(c) || c == '"' || c == '\\' || Character.getType(c) == Character.FORMAT) {
                masked.append('?');
            } else {
                masked.appendCodePoint(c);
            }
        });
        return masked.append('"').toString();
    }
}
