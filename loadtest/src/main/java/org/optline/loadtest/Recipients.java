package org.optline.loadtest;

import java.nio.charset.StandardCharsets;

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
    private static final byte[] OPTED_IN_PREFIX = ascii("+447900");
    private static final byte[] NEVER_OPTED_IN_PREFIX = ascii("+447901");
    private static final byte[] INVALID_PREFIX = ascii("+999");
    /** A recipient's number in E.164 is this long at most; for the writers' first guess. */
    private static final int NUMBER_LENGTH = 13;

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
        WireWriter number = new WireWriter(NUMBER_LENGTH);
        write(index, number);
        return number.toAsciiString();
    }

    /** Writes the recipient at {@code index} of the seeded range, as {@link #get} gives it. */
    void write(int index, WireWriter out) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("recipient " + index + " of " + count);
        }
        out.ascii(OPTED_IN_PREFIX);
        out.zeroPadded(index, 6);
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
        WireWriter number = new WireWriter(NUMBER_LENGTH);
        writeNeverOptedIn(sequence, number);
        return number.toAsciiString();
    }

    /** Writes {@link #neverOptedIn}'s number for {@code sequence}. */
    static void writeNeverOptedIn(long sequence, WireWriter out) {
        out.ascii(NEVER_OPTED_IN_PREFIX);
        out.zeroPadded(Math.floorMod(sequence, (long) CAPACITY), 6);
    }

    /** A string shaped like a number that is none: country code 999 does not exist. */
    static String invalid(long sequence) {
        WireWriter number = new WireWriter(NUMBER_LENGTH);
        writeInvalid(sequence, number);
        return number.toAsciiString();
    }

    /** Writes {@link #invalid}'s string for {@code sequence}: the prefix and five digits. */
    static void writeInvalid(long sequence, WireWriter out) {
        out.ascii(INVALID_PREFIX);
        out.zeroPadded(Math.floorMod(sequence, (long) CAPACITY) % 100_000, 5);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
