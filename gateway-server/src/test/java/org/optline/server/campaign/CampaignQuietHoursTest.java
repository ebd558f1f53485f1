package org.optline.server.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.campaign.RecipientTimeZones;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.Campaign;
import org.optline.server.testing.CampaignRequests;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * Quiet hours (the default 21:00–08:00) in each recipient's local time, on the fake clock: a
 * message due at 23:00 local is held until 08:00 local, in New York, London and Tokyo; a number
 * whose region spans several zones is held until the last of them is out of its quiet hours.
 */
class CampaignQuietHoursTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private final TestHttp http = gateway.http();
    private final CampaignRequests bank = new CampaignRequests(http, BANK_KEY);

    private record Place(String name, ZoneId zone, String number) {}

    private List<QueuedMessage> queued(String number) {
        return gateway.queues().peek(PhoneNumber.parse(number).orElseThrow(), 10).join();
    }

    /** A default-quiet-hours campaign to one opted-in number, scheduled now. */
    private String campaignTo(String number) {
        http.optIn(number, BANK, "MARKETING_CLASS");
        String id = bank.create("{\"name\":\"Evening\",\"text\":\"Spring sale: 10% off\",\"pacePerSecond\":10}")
                .getCampaignId();
        assertThat(bank.get(id).getQuietHours().getStart()).isEqualTo("21:00");
        bank.upload(id, "text/csv", number);
        bank.change(id, "schedule");
        return id;
    }

    private void runUntil(Instant target, Duration step) {
        while (gateway.clock().instant().isBefore(target)) {
            Duration left = Duration.between(gateway.clock().instant(), target);
            gateway.clock().advance(left.compareTo(step) < 0 ? left : step);
            gateway.gateway().campaignScheduler().runOnce().join();
        }
        gateway.gateway().campaignScheduler().runOnce().join();
    }

    @Test
    void aMessageDueAt23LocalIsHeldUntil08LocalInThreeTimeZones() {
        List<Place> places = List.of(
                new Place("New York", ZoneId.of("America/New_York"), "+12125550171"),
                new Place("London", ZoneId.of("Europe/London"), Recipients.next()),
                new Place("Tokyo", ZoneId.of("Asia/Tokyo"), "+81312345678"));
        LocalDate day = LocalDate.of(2025, 6, 2);
        for (Place place : places) {
            LocalDate today = day;
            Instant elevenPm = ZonedDateTime.of(day, LocalTime.of(23, 0), place.zone()).toInstant();
            Instant eightAm = ZonedDateTime.of(day.plusDays(1), LocalTime.of(8, 0), place.zone()).toInstant();
            gateway.clock().set(elevenPm);
            String id = campaignTo(place.number());
            runUntil(elevenPm.plusSeconds(5), Duration.ofMillis(250));

            Campaign held = bank.get(id);
            assertThat(held.getState()).as(place.name()).isEqualTo(Campaign.State.RUNNING);
            assertThat(held.getProgress().getWaitingQuietHours()).as(place.name()).isEqualTo(1);
            assertThat(held.getProgress().getCounts().getHeldQuietHours()).as(place.name()).isEqualTo(1);
            assertThat(held.getProgress().getSent()).as(place.name()).isZero();

            runUntil(eightAm.minusSeconds(1), Duration.ofMinutes(10));
            assertThat(queued(place.number())).as(place.name() + " at 07:59:59").isEmpty();

            runUntil(eightAm.plusSeconds(1), Duration.ofMillis(250));
            assertThat(queued(place.number())).as(place.name()).singleElement().satisfies(message -> {
                LocalDateTime local = LocalDateTime.ofInstant(message.acceptedAt(), place.zone());
                assertThat(local).isBetween(today.plusDays(1).atTime(8, 0), today.plusDays(1).atTime(8, 0, 1));
            });
            runUntil(eightAm.plusSeconds(2), Duration.ofMillis(250));
            assertThat(bank.get(id).getState()).as(place.name()).isEqualTo(Campaign.State.COMPLETED);
            day = day.plusDays(2);
        }
    }

    @Test
    void aNumberInSeveralZonesWaitsUntilTheLastOfThemIsOutOfQuietHours() {
        String number = "+61412345678";
        List<ZoneId> zones = new RecipientTimeZones().of(PhoneNumber.parse(number).orElseThrow());
        assertThat(zones).hasSizeGreaterThan(3).contains(ZoneId.of("Australia/Sydney"), ZoneId.of("Australia/Perth"));
        // Mid-morning in Sydney, still night in the westernmost of the number's zones.
        Instant start = ZonedDateTime.of(LocalDate.of(2025, 9, 1), LocalTime.of(10, 0),
                ZoneId.of("Australia/Sydney")).toInstant();
        // The zones still in their night open at their 08:00; the number opens when the last of them does.
        Instant opens = zones.stream().filter(zone -> {
            LocalTime local = start.atZone(zone).toLocalTime();
            return !local.isBefore(LocalTime.of(21, 0)) || local.isBefore(LocalTime.of(8, 0));
        }).map(zone -> {
            ZonedDateTime local = start.atZone(zone);
            ZonedDateTime eight = local.toLocalDate().atTime(8, 0).atZone(zone);
            return (eight.toInstant().isAfter(start) ? eight : eight.plusDays(1)).toInstant();
        }).max(Instant::compareTo).orElseThrow();
        if (gateway.clock().instant().isAfter(start)) {
            throw new IllegalStateException("the fake clock is past the test's start");
        }
        gateway.clock().set(start);
        String id = campaignTo(number);

        runUntil(opens.minusSeconds(1), Duration.ofMinutes(5));
        assertThat(bank.get(id).getProgress().getWaitingQuietHours()).isEqualTo(1);
        assertThat(queued(number)).isEmpty();

        runUntil(opens.plusSeconds(1), Duration.ofMillis(250));
        assertThat(queued(number)).singleElement()
                .satisfies(message -> assertThat(message.acceptedAt()).isBetween(opens, opens.plusSeconds(1)));
    }
}
