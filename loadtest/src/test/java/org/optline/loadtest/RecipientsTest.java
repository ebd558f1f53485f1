package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RecipientsTest {
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{7,14}");
    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();

    @Test
    void everyRecipientIsDistinctAndInE164Form() {
        Recipients recipients = new Recipients(SeedCommand.DEFAULT_RECIPIENTS);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < recipients.count(); i++) {
            String number = recipients.get(i);
            assertThat(number).matches(E164);
            assertThat(seen.add(number)).as("recipient %d is new", i).isTrue();
        }
    }

    @Test
    void recipientsAcrossTheWholeRangeAreNumbersTheGatewayAccepts() throws NumberParseException {
        Recipients recipients = new Recipients(Recipients.CAPACITY);
        // the gateway refuses what libphonenumber does not hold valid: check a spread of the range
        for (int i = 0; i < Recipients.CAPACITY; i += 997) {
            assertValid(recipients.get(i));
        }
        assertValid(recipients.get(Recipients.CAPACITY - 1));
    }

    @Test
    void messagesCycleThroughTheRecipients() {
        Recipients recipients = new Recipients(3);
        assertThat(recipients.forMessage(0)).isEqualTo(recipients.get(0));
        assertThat(recipients.forMessage(4)).isEqualTo(recipients.get(1));
        assertThat(recipients.forMessage(3_000_000_002L)).isEqualTo(recipients.get(2));
    }

    @Test
    void neverOptedInRecipientsAreValidNumbersOutsideTheSeededRange() throws NumberParseException {
        for (long sequence = 0; sequence < 3 * Recipients.CAPACITY; sequence += 99_991) {
            String number = Recipients.neverOptedIn(sequence);
            assertValid(number);
            assertThat(number).doesNotStartWith("+447900").matches(E164);
        }
    }

    @Test
    void invalidRecipientsAreNotValidNumbers() throws NumberParseException {
        for (long sequence = 0; sequence < 3 * Recipients.CAPACITY; sequence += 99_991) {
            String number = Recipients.invalid(sequence);
            boolean valid;
            try {
                valid = PHONE_NUMBERS.isValidNumber(PHONE_NUMBERS.parse(number, null));
            } catch (NumberParseException e) {
                valid = false;
            }
            assertThat(valid).as(number).isFalse();
        }
    }

    @Test
    void theSameIndexIsTheSameNumberInEveryRun() {
        assertThat(new Recipients(10).get(7)).isEqualTo(new Recipients(1_000).get(7)).isEqualTo("+447900000007");
    }

    @Test
    void refusesACountOutsideTheRange() {
        assertThatThrownBy(() -> new Recipients(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Recipients(Recipients.CAPACITY + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Recipients(5).get(5)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static void assertValid(String number) throws NumberParseException {
        assertThat(PHONE_NUMBERS.isValidNumber(PHONE_NUMBERS.parse(number, null))).as("valid").isTrue();
    }
}
