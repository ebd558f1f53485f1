package org.optline.core.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private static Instant at(String local, ZoneId zone) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(local), zone).toInstant();
    }

    @Test
    void theDefaultWindowCrossesMidnight() {
        QuietHours quiet = QuietHours.DEFAULT;
        assertThat(quiet.isQuiet(at("2025-03-01T20:59", LONDON), List.of(LONDON))).isFalse();
        assertThat(quiet.isQuiet(at("2025-03-01T21:00", LONDON), List.of(LONDON))).isTrue();
        assertThat(quiet.isQuiet(at("2025-03-02T03:00", LONDON), List.of(LONDON))).isTrue();
        assertThat(quiet.isQuiet(at("2025-03-02T07:59", LONDON), List.of(LONDON))).isTrue();
        assertThat(quiet.isQuiet(at("2025-03-02T08:00", LONDON), List.of(LONDON))).isFalse();
    }

    @Test
    void aMessageDueAt23LocalOpensAt08LocalInEachZone() {
        for (ZoneId zone : List.of(NEW_YORK, LONDON, TOKYO)) {
            Instant due = at("2025-03-01T23:00", zone);
            assertThat(QuietHours.DEFAULT.nextOpening(due, List.of(zone))).contains(at("2025-03-02T08:00", zone));
        }
    }

    @Test
    void aNumberInSeveralZonesIsQuietWhileAnyIsAndOpensWhenAllAre() {
        // 07:30 in London is 16:30 in Tokyo: London is quiet, so the number is.
        Instant at = at("2025-03-01T07:30", LONDON);
        assertThat(QuietHours.DEFAULT.isQuiet(at, List.of(TOKYO))).isFalse();
        assertThat(QuietHours.DEFAULT.isQuiet(at, List.of(TOKYO, LONDON))).isTrue();
        // London opens at 08:00 (17:00 in Tokyo, still open there).
        assertThat(QuietHours.DEFAULT.nextOpening(at, List.of(TOKYO, LONDON))).contains(at("2025-03-01T08:00", LONDON));
    }

    @Test
    void zonesWhoseWindowsCoverTheWholeDayNeverOpen() {
        QuietHours long_ = new QuietHours(LocalTime.of(8, 0), LocalTime.of(0, 0));
        // 08:00 to midnight in London and in Tokyo (9 hours apart) together cover every hour.
        assertThat(long_.nextOpening(at("2025-03-01T13:00", LONDON), List.of(LONDON, TOKYO))).isEmpty();
    }

    @Test
    void noQuietHoursIsNeverQuiet() {
        assertThat(QuietHours.NONE.isQuiet(at("2025-03-01T03:00", LONDON), List.of(LONDON))).isFalse();
    }
}
