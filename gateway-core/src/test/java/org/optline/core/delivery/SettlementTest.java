package org.optline.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A failure reason goes to the sender: whatever may be a phone number in it is masked, however it was made. */
class SettlementTest {
    @Test
    void numbersWrittenAnyWayAreMasked() {
        assertThat(Settlement.failed("no route to +14155550123").reason()).isEqualTo("no route to •••");
        assertThat(Settlement.failed("no route to +1 415 555 0123, try later").reason())
                .isEqualTo("no route to •••, try later");
        assertThat(Settlement.failed("phone (415) 555-0123 is off").reason()).isEqualTo("phone ••• is off");
        assertThat(Settlement.failed("+44 (0) 7911 100001 unreachable").reason()).doesNotContain("7911", "100001");
        assertThat(Settlement.failed("0049-30-1234567 busy").reason()).isEqualTo("••• busy");
    }

    @Test
    void theConstructorMasksToo() {
        assertThat(new Settlement(MessageState.FAILED, "sent to +1 415 555 0123").reason()).isEqualTo("sent to •••");
    }

    @Test
    void shortNumbersThatCannotBeAPhoneNumberStay() {
        assertThat(Settlement.failed("HTTP 404 after 3 attempts at 10:30").reason())
                .isEqualTo("HTTP 404 after 3 attempts at 10:30");
        assertThat(Settlement.failed("").reason()).isEmpty();
    }
}
