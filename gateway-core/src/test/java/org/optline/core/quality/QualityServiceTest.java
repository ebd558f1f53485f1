package org.optline.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.limit.HeapLimitStore;
import org.optline.core.message.Category;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.storage.memory.InMemoryQualityStore;
import org.optline.core.testing.MutableClock;

/** The quality state machine on a fake clock: ratings, the 3 h / 6 h / held pauses, the lift, tier upgrades. */
class QualityServiceTest {
    private static final String SHOP = "shop";
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock();
    private final Business shop = new Business(SHOP, List.of(Credential.ofSecret("k")), 1_000, Tier.TIER_1K,
            Quality.GREEN, Map.of());
    private final BusinessDirectory directory = new BusinessDirectory(List.of(shop), Credential.ofSecret("p"));
    private final InMemoryQualityStore store = new InMemoryQualityStore();
    private final HeapLimitStore limitStore = new HeapLimitStore();
    private BusinessStandings standings;
    private AntiSpamLimits limits;
    private QualityService quality;
    private int messages;

    QualityServiceTest() {
        start();
    }

    /** A node starting on the stores: what it knows comes from them. */
    private void start() {
        standings = new BusinessStandings(store.standings().join());
        limits = new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock, limitStore, standings);
        quality = new QualityService(QualityPolicy.DEFAULTS, standings, limits, store, directory,
                new StoreExecutor(Runnable::run), clock, new byte[32]);
    }

    private void spamReports(int count) {
        for (int i = 0; i < count; i++) {
            assertThat(quality.complaint(SHOP, FeedbackKind.SPAM_REPORT, "message-" + messages++).join()).isTrue();
        }
    }

    private boolean paused() {
        return standings.marketingPaused(shop, clock.millis());
    }

    private StandingView standing() {
        return quality.standing(SHOP).join().orElseThrow();
    }

    private List<StandingEvent> events() {
        return quality.events(SHOP, 0, 100).join();
    }

    private List<StandingEvent.Kind> kinds() {
        return events().stream().map(StandingEvent::kind).toList();
    }

    @Test
    void fewerThanFiveComplaintsNeverLowerTheRating() {
        spamReports(4);

        assertThat(standing().rating()).isEqualTo(Quality.GREEN);
        assertThat(paused()).isFalse();
        assertThat(events()).isEmpty();
    }

    @Test
    void aBurstOfSpamReportsMakesTheBusinessRedAndPausesItsMarketingForThreeHours() {
        spamReports(5);

        assertThat(standing().quality()).isEqualTo(Quality.RED);
        assertThat(paused()).isTrue();
        assertThat(standing().pausedUntil()).isEqualTo(clock.instant().plus(Duration.ofHours(3)));
        assertThat(kinds()).containsExactly(StandingEvent.Kind.QUALITY_CHANGED, StandingEvent.Kind.MARKETING_PAUSED);
        StandingEvent changed = events().get(0);
        assertThat(changed.fromQuality()).isEqualTo(Quality.GREEN);
        assertThat(changed.toQuality()).isEqualTo(Quality.RED);
        assertThat(changed.detail()).startsWith("5 complaints (5 spam reports, 0 blocks) against 0 positive signals"
                + " within 7 days: 100.0% complaints; YELLOW from 1%, RED from 3%, counted from 5 complaints");
        assertThat(events().get(1).pause()).isEqualTo(1);
        assertThat(events().get(1).pausedUntil()).isEqualTo(clock.instant().plus(Duration.ofHours(3)));
    }

    @Test
    void thePauseEndsOnTimeAndTheTickRecordsWhenItEnded() {
        spamReports(5);
        Instant ends = clock.instant().plus(Duration.ofHours(3));

        clock.advance(Duration.ofHours(3).minusMillis(1));
        assertThat(paused()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(paused()).as("admission needs no tick to let marketing through").isFalse();
        clock.advance(SECOND);
        quality.tick().join();

        StandingEvent resumed = events().get(2);
        assertThat(resumed.kind()).isEqualTo(StandingEvent.Kind.MARKETING_RESUMED);
        assertThat(resumed.at()).isEqualTo(ends);
        assertThat(resumed.detail()).isEqualTo("pause 1 ended");
        assertThat(standing().quality()).as("still RED: the complaints are within the window").isEqualTo(Quality.RED);
    }

    @Test
    void complaintsDuringAPauseDoNotExtendItButOnesAfterItStartTheNextLongerOneThenAHeldOne() {
        spamReports(5);
        clock.advance(Duration.ofHours(1));
        spamReports(3);
        assertThat(standing().pausedUntil()).as("not extended")
                .isEqualTo(clock.instant().plus(Duration.ofHours(2)));

        clock.advance(Duration.ofHours(2));
        quality.tick().join();
        assertThat(paused()).isFalse();
        clock.advance(SECOND);
        spamReports(1);
        assertThat(paused()).isTrue();
        assertThat(standing().pausedUntil()).isEqualTo(clock.instant().plus(Duration.ofHours(6)));

        clock.advance(Duration.ofHours(6));
        assertThat(paused()).isFalse();
        clock.advance(SECOND);
        spamReports(1);
        assertThat(paused()).isTrue();
        assertThat(standing().held()).isTrue();
        clock.advance(Duration.ofDays(30));
        quality.tick().join();
        assertThat(paused()).as("a held pause never ends by itself").isTrue();

        assertThat(kinds()).containsExactly(StandingEvent.Kind.QUALITY_CHANGED, StandingEvent.Kind.MARKETING_PAUSED,
                StandingEvent.Kind.MARKETING_RESUMED, StandingEvent.Kind.MARKETING_PAUSED,
                StandingEvent.Kind.MARKETING_RESUMED, StandingEvent.Kind.MARKETING_PAUSED,
                StandingEvent.Kind.QUALITY_CHANGED);
        assertThat(events().get(5).pausedUntil()).isNull();
        assertThat(events().get(5).detail()).startsWith("pause 3, held until an operator lifts it");
    }

    @Test
    void anOperatorLiftsAHeldPauseAndThePausesStartOver() {
        spamReports(5);
        clock.advance(Duration.ofHours(3).plus(SECOND));
        spamReports(1);
        clock.advance(Duration.ofHours(6).plus(SECOND));
        spamReports(1);
        assertThat(standing().held()).isTrue();

        QualityService.Lifted lifted = quality.lift(SHOP).join();

        assertThat(lifted).isInstanceOf(QualityService.Lifted.Done.class);
        assertThat(paused()).isFalse();
        assertThat(events().get(events().size() - 1).detail())
                .isEqualTo("the held pause was lifted by an operator; the next pause is again 3 hours");
        assertThat(quality.lift(SHOP).join()).isInstanceOf(QualityService.Lifted.NotPaused.class);
        clock.advance(SECOND);
        spamReports(1);
        assertThat(standing().pausedUntil()).as("the first pause again").isEqualTo(clock.instant()
                .plus(Duration.ofHours(3)));
        assertThat(quality.lift("nobody").join()).isInstanceOf(QualityService.Lifted.UnknownBusiness.class);
    }

    @Test
    void positiveSignalsKeepAWantedSenderGreenAndAFewMoreComplaintsMakeItYellowNotPaused() {
        quality.positive(SHOP, 1_000);
        spamReports(5);
        assertThat(standing().quality()).as("0.5 %").isEqualTo(Quality.GREEN);

        spamReports(10);

        assertThat(standing().quality()).as("1.5 %").isEqualTo(Quality.YELLOW);
        assertThat(paused()).isFalse();
    }

    @Test
    void theSameComplaintCountsOnceAndABlockCountsOncePerRecipient() {
        assertThat(quality.complaint(SHOP, FeedbackKind.SPAM_REPORT, "m-1").join()).isTrue();
        assertThat(quality.complaint(SHOP, FeedbackKind.SPAM_REPORT, "m-1").join()).isFalse();
        PhoneNumber person = PhoneNumber.parse("+14155550123").orElseThrow();
        assertThat(quality.blocked(SHOP, person).join()).isTrue();
        assertThat(quality.blocked(SHOP, person).join()).isFalse();

        assertThat(standing().spamReports()).isEqualTo(1);
        assertThat(standing().blocks()).isEqualTo(1);
    }

    @Test
    void signalsLeaveTheWindowAndEarningGreenAgainStartsThePausesOver() {
        spamReports(5);
        clock.advance(Duration.ofHours(3).plus(SECOND));
        spamReports(1);
        assertThat(standing().pauses()).isEqualTo(2);

        clock.advance(Duration.ofDays(7).plus(Duration.ofHours(2)));
        quality.tick().join();

        assertThat(standing().quality()).isEqualTo(Quality.GREEN);
        assertThat(standing().pauses()).isZero();
        spamReports(5);
        assertThat(standing().pausedUntil()).isEqualTo(clock.instant().plus(Duration.ofHours(3)));
    }

    @Test
    void aGreenBusinessThatReachedHalfItsTierWithinSevenDaysMovesUpATier() {
        reach(499);
        quality.tick().join();
        assertThat(standings.tier(shop)).isEqualTo(Tier.TIER_1K);

        reach(1);
        quality.tick().join();

        assertThat(standings.tier(shop)).isEqualTo(Tier.TIER_10K);
        StandingEvent moved = events().get(0);
        assertThat(moved.kind()).isEqualTo(StandingEvent.Kind.TIER_CHANGED);
        assertThat(moved.fromTier()).isEqualTo(Tier.TIER_1K);
        assertThat(moved.toTier()).isEqualTo(Tier.TIER_10K);
        assertThat(moved.detail()).isEqualTo("reached 500 unique recipients within 7 days, at least half of its"
                + " tier of 1000, with a GREEN rating throughout");
        reach(5_000);
        quality.tick().join();
        assertThat(standings.tier(shop)).as("one step per 7 days").isEqualTo(Tier.TIER_10K);
    }

    @Test
    void aBusinessThatWasNotGreenWithinSevenDaysDoesNotMoveUp() {
        spamReports(5);
        reach(600);
        quality.tick().join();
        assertThat(standings.tier(shop)).isEqualTo(Tier.TIER_1K);

        clock.advance(Duration.ofDays(7).plus(Duration.ofHours(2)));
        quality.tick().join();
        reach(600);
        quality.tick().join();
        assertThat(standings.tier(shop)).as("GREEN again, but only just").isEqualTo(Tier.TIER_1K);

        clock.advance(Duration.ofDays(7));
        reach(600);
        quality.tick().join();
        assertThat(standings.tier(shop)).isEqualTo(Tier.TIER_10K);
    }

    @Test
    void aNodeThatStartsAgainFindsTheStandingTheCountsAndThePause() {
        quality.positive(SHOP, 100);
        quality.tick().join();
        spamReports(5);

        start();

        assertThat(paused()).isTrue();
        assertThat(standing().spamReports()).isEqualTo(5);
        assertThat(standing().positives()).isEqualTo(100);
        assertThat(events()).hasSize(2);
    }

    /** The shop contacts {@code count} new recipients, counted as the delivery log would store them. */
    private void reach(int count) {
        for (int i = 0; i < count; i++) {
            PhoneNumber recipient = PhoneNumber.parse(String.format("+1415%07d", 5_550_000 + messages++)).orElseThrow();
            AntiSpamLimits.Verdict verdict = limits.admit(shop, recipient, Category.TRANSACTIONAL, "Your order shipped");
            assertThat(verdict.refusal()).isEmpty();
            limitStore.record(verdict.counts());
            verdict.settle();
        }
    }
}
