package org.optline.loadtest;

/**
 * The recipients of the harness: UK mobile numbers, the same in every run, so that opt-ins
 * seeded once keep working.
 *
 * <ul>
 *   <li>{@code +447900000000} upwards: the recipients that {@code seed} opts in;
 *   <li>{@code +447901000000} upwards: recipients no run ever opts in, for the share of
 *       messages that must be refused as {@code NOT_OPTED_IN};
 *   <li>{@code +99900000} upwards: not numbers at all (no country has code 999), for the share
 *       refused as {@code INVALID_RECIPIENT}.
 * </ul>
 *
 * <p>Why these ranges: the gateway refuses any number that libphonenumber does not hold
 * valid, and it holds every number of {@code +447900} and {@code +447901} valid, while
 * Ofcom's fictional drama range {@code +447700900xxx} is not.
 */
final class Recipients {
    /** The size of each range: one million distinct numbers. */
    static final int CAPACITY = 1_000_000;
    private static final String OPTED_IN_PREFIX = "+447900";
    private static final String NEVER_OPTED_IN_PREFIX = "+447901";
    private static final String INVALID_PREFIX = "+999";

    private final int count;

    Recipients(int count) {
        if (count < 1 || count > CAPACITY) {
            throw new IllegalArgumentException("recipients must be between 1 and " + CAPACITY + ", not " + count);
        }
        this.count = count;
    }

    int count() {
        return count;
    }

    /** The recipient at {@code index} of the seeded range, in E.164. */
    String get(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("recipient " + index + " of " + count);
        }
        return OPTED_IN_PREFIX + sixDigits(index);
    }

    /** The recipient of message {@code sequence}: the run cycles through its recipients. */
    String forMessage(long sequence) {
        return get(indexFor(sequence));
    }

    /** The index of the recipient of message {@code sequence}. */
    int indexFor(long sequence) {
        return (int) Math.floorMod(sequence, (long) count);
    }

    /** A valid number outside the seeded range, which no run opts in. */
    static String neverOptedIn(long sequence) {
        return NEVER_OPTED_IN_PREFIX + sixDigits((int) Math.floorMod(sequence, (long) CAPACITY));
    }

    /** A string shaped like a number that is none: country code 999 does not exist. */
    static String invalid(long sequence) {
        return INVALID_PREFIX + sixDigits((int) Math.floorMod(sequence, (long) CAPACITY)).substring(1);
    }

    /** {@code index} as exactly six digits, zero-padded. */
    private static String sixDigits(int index) {
        // CAPACITY + index has seven digits; dropping the leading 1 zero-pads the last six
        return String.valueOf(CAPACITY + index).substring(1);
    }
}
