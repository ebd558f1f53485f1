package org.optline.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentStore;
import org.optline.core.recipient.PhoneNumber;

/**
 * The recipients of a benchmark: UK mobile numbers from {@code +447900000000} upwards, the range
 * the loadtest uses because libphonenumber holds every number in it valid.
 */
final class Recipients {
    /** The size of the range: one million distinct numbers. */
    static final int CAPACITY = 1_000_000;
    private static final String PREFIX = "+447900";
    /** A fixed seed, so that every run visits the recipients in the same order. */
    private static final long SEED = 20_250_301L;

    private Recipients() {}

    /**
     * {@code count} distinct numbers in E.164, in a shuffled order: consecutive messages then go
     * to recipients that are not neighbours in memory, as they are in real traffic.
     */
    static List<String> numbers(int count) {
        if (count < 1 || count > CAPACITY) {
            throw new IllegalArgumentException("recipients must be between 1 and " + CAPACITY + ", not " + count);
        }
        List<String> numbers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // CAPACITY + i has seven digits; dropping the leading 1 zero-pads the last six
            numbers.add(PREFIX + String.valueOf(CAPACITY + i).substring(1));
        }
        Collections.shuffle(numbers, new Random(SEED));
        return numbers;
    }

    /** Parses a number the range guarantees valid. */
    static PhoneNumber parse(String number) {
        return PhoneNumber.parse(number)
                .orElseThrow(() -> new IllegalStateException("libphonenumber no longer holds " + number + " valid"));
    }

    /** Opts every recipient in to transactional messages from the business, as the consent API would. */
    static void optIn(ConsentStore consents, String businessId, List<PhoneNumber> recipients) {
        Instant at = Instant.parse("2025-03-01T09:00:00Z");
        for (PhoneNumber recipient : recipients) {
            consents.apply(new ConsentChange(recipient, businessId, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL,
                    ConsentSource.API, "v1", at)).join();
        }
    }
}
