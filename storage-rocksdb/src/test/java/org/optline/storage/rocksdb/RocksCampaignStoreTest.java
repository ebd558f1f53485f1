package org.optline.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.campaign.AudienceAppend;
import org.optline.core.campaign.AudienceRow;
import org.optline.core.campaign.AudienceSummary;
import org.optline.core.campaign.Campaign;
import org.optline.core.campaign.CampaignOutcome;
import org.optline.core.campaign.CampaignState;
import org.optline.core.campaign.CampaignStore;
import org.optline.core.campaign.Counts;
import org.optline.core.campaign.Hold;
import org.optline.core.campaign.Progress;
import org.optline.core.campaign.QuietHours;
import org.optline.core.campaign.SeriesPoint;
import org.optline.core.message.Category;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.testing.MutableClock;

/**
 * The campaign store on RocksDB: audiences kept in upload order with duplicates left out (within
 * one append and across appends), holds in release order, a step's record, holds and counts in
 * one write, everything surviving a reopen, and a finished campaign's audience dropped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RocksCampaignStoreTest {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    @TempDir
    Path directory;

    private RocksStorageEngine engine;

    @BeforeEach
    void open() {
        engine = RocksStorageEngine.open(directory, new MutableClock(T0), Duration.ofHours(24));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private CampaignStore store() {
        return engine.campaigns();
    }

    private void reopen() {
        engine.close();
        open();
    }

    private static Campaign campaign(String id, String businessId) {
        return new Campaign(id, businessId, "Spring", null, "Spring sale", Category.MARKETING, T0, null, null, 10,
                new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)), CampaignState.DRAFT, AudienceSummary.EMPTY,
                Progress.NONE);
    }

    private static AudienceRow row(int n, String... parameters) {
        return new AudienceRow(0, PhoneNumber.parse(String.format("+4479000%05d", n)).orElseThrow(), List.of(parameters));
    }

    @Test
    void anAudienceKeepsUploadOrderAndEachRecipientOnce() {
        store().save(campaign("c1", "bank")).join();
        AudienceAppend first = store().appendAudience("c1", List.of(row(1, "a"), row(2, "b"), row(1, "again"))).join();
        AudienceAppend second = store().appendAudience("c1", List.of(row(3, "c"), row(2, "again"))).join();

        assertThat(first).isEqualTo(new AudienceAppend(2, 1));
        assertThat(second).isEqualTo(new AudienceAppend(1, 1));
        reopen();
        List<AudienceRow> rows = store().audience("c1", 0, 10).join();
        assertThat(rows).extracting(AudienceRow::ordinal).containsExactly(0L, 1L, 2L);
        assertThat(rows).extracting(r -> r.parameters().get(0)).containsExactly("a", "b", "c");
        assertThat(store().audience("c1", 1, 1).join()).extracting(AudienceRow::ordinal).containsExactly(1L);
        assertThat(store().members("c1", List.of(2L, 0L, 9L)).join()).extracting(AudienceRow::ordinal)
                .containsExactly(2L, 0L);
        assertThat(store().audience("c2", 0, 10).join()).isEmpty();
    }

    @Test
    void aStepStoresItsRecordHoldsAndCountsTogetherAndTheyOutliveARestart() {
        Campaign campaign = campaign("c1", "bank").withState(CampaignState.RUNNING);
        store().save(campaign).join();
        Hold late = new Hold(T0.plusSeconds(60), 4, Hold.Kind.QUIET_HOURS);
        Hold early = new Hold(T0.plusSeconds(5), 7, Hold.Kind.RETRY);
        Counts happened = Counts.ZERO.plus(CampaignOutcome.ACCEPTED, 3).plus(CampaignOutcome.HELD_QUIET_HOURS, 1);
        Campaign stepped = campaign.withProgress(Progress.NONE.withCursor(8).withCounts(happened).withWaiting(1, 1));
        store().step(stepped, List.of(), List.of(late, early), T0, happened).join();
        store().step(stepped, List.of(), List.of(), T0, Counts.ZERO.plus(CampaignOutcome.ACCEPTED, 2)).join();

        reopen();
        assertThat(store().find("bank", "c1").join()).hasValueSatisfying(found -> {
            assertThat(found.progress().cursor()).isEqualTo(8);
            assertThat(found.progress().counts().get(CampaignOutcome.ACCEPTED)).isEqualTo(3);
        });
        assertThat(store().find("shop", "c1").join()).as("another business's campaign").isEmpty();
        assertThat(store().dueHolds("c1", T0.plusSeconds(10), 10).join()).containsExactly(early);
        assertThat(store().dueHolds("c1", T0.plusSeconds(60), 10).join()).containsExactly(early, late);
        assertThat(store().series("c1", Instant.EPOCH).join()).singleElement().satisfies(point -> {
            assertThat(point.start()).isEqualTo(T0);
            assertThat(point.counts().get(CampaignOutcome.ACCEPTED)).isEqualTo(5);
        });

        store().step(stepped, List.of(early), List.of(), T0.plusSeconds(10), Counts.ZERO).join();
        assertThat(store().dueHolds("c1", T0.plusSeconds(60), 10).join()).containsExactly(late);
        assertThat(store().unfinished().join()).extracting(Campaign::id).containsExactly("c1");
    }

    @Test
    void aFinishedCampaignKeepsItsCountsAndDropsItsAudienceAndHolds() {
        Campaign campaign = campaign("c1", "bank");
        store().save(campaign).join();
        store().save(campaign("c2", "bank")).join();
        List<AudienceRow> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(row(i));
        }
        store().appendAudience("c1", rows).join();
        store().appendAudience("c2", rows.subList(0, 5)).join();
        store().step(campaign, List.of(), List.of(new Hold(T0, 3, Hold.Kind.QUIET_HOURS)), T0,
                Counts.ZERO.plus(CampaignOutcome.ACCEPTED, 1)).join();

        store().finish(campaign.withState(CampaignState.COMPLETED)).join();
        reopen();

        assertThat(store().audience("c1", 0, 100).join()).isEmpty();
        assertThat(store().dueHolds("c1", T0, 10).join()).isEmpty();
        assertThat(store().series("c1", Instant.EPOCH).join()).extracting(SeriesPoint::start).containsExactly(T0);
        assertThat(store().audience("c2", 0, 100).join()).as("another campaign's audience").hasSize(5);
        assertThat(store().list("bank").join()).extracting(Campaign::state)
                .containsExactly(CampaignState.COMPLETED, CampaignState.DRAFT);
        assertThat(store().unfinished().join()).extracting(Campaign::id).containsExactly("c2");
        // A new upload after the drop starts its ordinals afresh: the counter went with the audience.
        assertThat(store().appendAudience("c1", rows.subList(0, 2)).join()).isEqualTo(new AudienceAppend(2, 0));
    }
}
