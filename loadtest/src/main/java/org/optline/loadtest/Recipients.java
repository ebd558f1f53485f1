package org.optline.loadtest;

/**
 * The distinct recipients of a run: UK mobile numbers from {@code +447900000000} upwards, the
 * same for every run so that opt-ins made once keep working.
 *
 * <p>Why this range: the gateway refuses any number that libphonenumber does not hold valid,
 * and it holds every number from {@code +447900000000} to {@code +447900999999} valid, while
 * Ofcom's fictional drama range {@code +447700900xxx} is not.
 */
final class Recipients {
    /** The size of the range: one million distinct numbers. */
    static final int CAPACITY = 1_000_000;
    private static final String PREFIX = "+447900";

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

    /** The recipient at {@code index}, in E.164. */
    String get(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("recipient " + index + " of " + count);
        }
        // CAPACITY + index has seven digits; dropping the leading 1 zero-pads the last six
        return PREFIX + String.valueOf(CAPACITY + index).substring(1);
    }

    /** The recipient of message {@code sequence}: the run cycles through its recipients. */
    String forMessage(long sequence) {
        return get((int) Math.floorMod(sequence, (long) count));
    }
}
