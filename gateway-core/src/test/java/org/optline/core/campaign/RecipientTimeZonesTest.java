package org.optline.core.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.optline.core.recipient.PhoneNumber;

class RecipientTimeZonesTest {
    private final RecipientTimeZones zones = new RecipientTimeZones();

    private static PhoneNumber number(String e164) {
        return PhoneNumber.parseOnce(e164).orElseThrow();
    }

    @Test
    void aNumberIsPlacedInItsRegionsZone() {
        assertThat(zones.of(number("+12125550123"))).containsExactly(ZoneId.of("America/New_York"));
        assertThat(zones.of(number("+14155550123"))).containsExactly(ZoneId.of("America/Los_Angeles"));
        assertThat(zones.of(number("+81312345678"))).containsExactly(ZoneId.of("Asia/Tokyo"));
        // A UK mobile may be on the islands too, all on London's clock.
        assertThat(zones.of(number("+447911123456"))).contains(ZoneId.of("Europe/London"));
    }

    @Test
    void aMobileNumberOfAWideCountrySpansSeveralZones() {
        assertThat(zones.of(number("+61412345678"))).hasSizeGreaterThan(3)
                .contains(ZoneId.of("Australia/Perth"), ZoneId.of("Australia/Sydney"));
    }

    @Test
    void aNumberTheDataDoesNotPlaceIsTakenToBeInUtc() {
        // An international freephone number belongs to no region.
        assertThat(zones.of(number("+80012345678"))).containsExactly(ZoneOffset.UTC);
    }
}
