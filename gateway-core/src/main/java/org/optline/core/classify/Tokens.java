package org.optline.core.classify;

import java.util.Arrays;

/**
 * A text read into tokens: words already undone of the usual disguises, numbers replaced by
 * their shape, links and phone numbers kept whole. The characters of every token lie back to
 * back in one array, so that reading a text allocates a handful of arrays and no strings.
 */
final class Tokens {
    static final byte WORD = 0;
    static final byte NUMBER = 1;
    static final byte LINK = 2;
    static final byte EMAIL = 3;
    static final byte PHONE = 4;

    char[] chars;
    int charCount;
    int count;
    int[] start;
    int[] end;
    byte[] kind;
    /** For NUMBER tokens: which {@link Shape}. */
    Shape[] shape;
    /** For LINK tokens: where the host ends; the host starts at {@code start}. */
    int[] hostEnd;
    /** For LINK tokens: whether the sender wrote a scheme ({@code https://}). */
    boolean[] scheme;
    /** Where each token starts and ends in the text as written: letters spelt out are joined only when one character apart. */
    int[] sourceStart;
    int[] sourceEnd;

    /** Per token, the hash of its word (or shape) feature; set by the feature extractor. */
    int[] keys = new int[16];

    int letters;
    int capitals;
    int exclamations;

    Tokens(int capacity) {
        allocate(capacity);
    }

    /** Empties these tokens for a text of this length, keeping the arrays when they are large enough. */
    void reset(int capacity) {
        if (chars.length < capacity + 16 || start.length < capacity / 2 + 4) {
            allocate(capacity);
        }
        charCount = 0;
        count = 0;
        letters = 0;
        capitals = 0;
        exclamations = 0;
    }

    private void allocate(int capacity) {
        chars = new char[Math.max(16, capacity + 16)];
        int tokens = Math.max(8, capacity / 2 + 4);
        start = new int[tokens];
        end = new int[tokens];
        kind = new byte[tokens];
        shape = new Shape[tokens];
        hostEnd = new int[tokens];
        scheme = new boolean[tokens];
        sourceStart = new int[tokens];
        sourceEnd = new int[tokens];
    }

    /** The shape a number is replaced by: what a reader sees in it, not its digits. */
    enum Shape {
        DIGITS_1_3("<n1-3>", "a short number"),
        DIGITS_4("<n4>", "a 4-digit number"),
        DIGITS_5("<n5>", "a 5-digit number"),
        DIGITS_6("<n6>", "a 6-digit number"),
        DIGITS_7_8("<n7-8>", "a 7- or 8-digit number"),
        DIGITS_9_PLUS("<n9+>", "a long number"),
        SPLIT_CODE("<n3-3>", "a code like 123-456"),
        PREFIXED_CODE("<L-n>", "a code like G-123456"),
        LETTERS_DIGITS("<Ln>", "a reference like AB123"),
        DIGITS_LETTERS("<nL>", "a reference like 12B"),
        MIXED_CODE("<mix>", "a letters-and-digits code"),
        MONEY("<money>", "an amount of money"),
        DECIMAL("<decimal>", "a decimal number"),
        PERCENT("<pct>", "a percentage"),
        TIME("<time>", "a time of day"),
        DATE("<date>", "a date"),
        PENCE("<pence>", "a price in pence"),
        ORDINAL("<ord>", "an ordinal"),
        OTHER("<num>", "a number");

        final String symbol;
        final String description;

        Shape(String symbol, String description) {
            this.symbol = symbol;
            this.description = description;
        }

        /** True for the shapes a one-time code is written in. */
        boolean isCodeLike() {
            return this == DIGITS_4 || this == DIGITS_5 || this == DIGITS_6 || this == DIGITS_7_8
                    || this == SPLIT_CODE || this == PREFIXED_CODE || this == MIXED_CODE;
        }
    }

    int add(byte tokenKind, int from, int to) {
        if (count == start.length) {
            int grown = count * 2;
            start = Arrays.copyOf(start, grown);
            end = Arrays.copyOf(end, grown);
            kind = Arrays.copyOf(kind, grown);
            shape = Arrays.copyOf(shape, grown);
            hostEnd = Arrays.copyOf(hostEnd, grown);
            scheme = Arrays.copyOf(scheme, grown);
            sourceStart = Arrays.copyOf(sourceStart, grown);
            sourceEnd = Arrays.copyOf(sourceEnd, grown);
        }
        start[count] = from;
        end[count] = to;
        kind[count] = tokenKind;
        shape[count] = null;
        hostEnd[count] = to;
        scheme[count] = false;
        sourceStart[count] = -1;
        sourceEnd[count] = -1;
        return count++;
    }

    void source(int from, int to) {
        for (int token = count - 1; token >= 0 && sourceStart[token] < 0; token--) {
            sourceStart[token] = from;
            sourceEnd[token] = to;
        }
    }

    void append(char c) {
        if (charCount == chars.length) {
            chars = Arrays.copyOf(chars, chars.length * 2);
        }
        chars[charCount++] = c;
    }

    int length(int token) {
        return end[token] - start[token];
    }

    boolean is(int token, String word) {
        if (token < 0 || token >= count || kind[token] != WORD || length(token) != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (chars[start[token] + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    boolean startsWith(int token, String prefix) {
        if (token < 0 || token >= count || kind[token] != WORD || length(token) < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (chars[start[token] + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    boolean isAnyOf(int token, String... words) {
        for (String word : words) {
            if (is(token, word)) {
                return true;
            }
        }
        return false;
    }

    boolean isShape(int token, Shape wanted) {
        return token >= 0 && token < count && kind[token] == NUMBER && shape[token] == wanted;
    }

    String text(int token) {
        return new String(chars, start[token], length(token));
    }

    String host(int token) {
        return new String(chars, start[token], hostEnd[token] - start[token]);
    }

    /**
     * How a token may be quoted back to the business: words as read, numbers by their shape,
     * links by their host, and never the digits of a phone number.
     */
    String display(int token) {
        return switch (kind[token]) {
            case WORD -> maskDigitRuns(text(token));
            case NUMBER -> shape[token] == Shape.PERCENT || shape[token] == Shape.DIGITS_1_3
                    ? maskDigitRuns(text(token)) : shape[token].description;
            case LINK -> maskDigitRuns(host(token));
            case EMAIL -> "an e-mail address";
            default -> "a phone number";
        };
    }

    /** Digit runs of 5 or more could be a phone number or an account: never quoted. */
    static String maskDigitRuns(String text) {
        int digits = 0;
        for (int i = 0; i < text.length() && digits < 5; i++) {
            char c = text.charAt(i);
            digits = c >= '0' && c <= '9' ? digits + 1 : 0;
        }
        if (digits < 5) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.length());
        int run = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (c >= '0' && c <= '9') {
                run++;
                continue;
            }
            if (run > 0) {
                if (run >= 5) {
                    masked.append("•".repeat(run));
                } else {
                    masked.append(text, i - run, i);
                }
                run = 0;
            }
            if (i < text.length()) {
                masked.append(c);
            }
        }
        return masked.toString();
    }
}
