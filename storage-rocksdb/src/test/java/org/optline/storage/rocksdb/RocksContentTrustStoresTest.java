package org.optline.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.limit.AntiSpamCounts;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.limit.Contact;
import org.optline.core.limit.ContactCounts;
import org.optline.core.limit.MarketingSend;
import org.optline.core.limit.Standings;
import org.optline.core.message.Category;
import org.optline.core.quality.FeedbackKind;
import org.optline.core.quality.SignalCounts;
import org.optline.core.quality.Standing;
import org.optline.core.quality.StandingEvent;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.template.RegisteredTemplate;
import org.optline.core.template.Template;
import org.optline.core.testing.MutableClock;

/**
 * The content-trust column families on a temporary directory: counts written with their messages
 * in one group commit and read back after a crash, the time index walked in order, conditional
 * forgetting, the marketing sweep, complaints counted once, standings with their events, templates.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RocksContentTrustStoresTest {
    private static final String SHOP = "test-shop";
    private static final PhoneNumber ALICE = PhoneNumber.parse("+447911100001").orElseThrow();
    private static final PhoneNumber BOB = PhoneNumber.parse("+447911100002").orElseThrow();

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);
    private RocksStorage storage;

    @BeforeEach
    void open() {
        storage = RocksStorage.open(directory.resolve("store"));
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    /** Stops as a kill -9 would, after the last acknowledged group commit, and starts again. */
    private void crashAndReopen() {
        storage.closeLikeACrash();
        storage = RocksStorage.open(directory.resolve("store"));
    }

    private Accepted accepted(PhoneNumber recipient, AntiSpamCounts counts) {
        QueuedMessage message = new QueuedMessage(ids.next(), SHOP, "c-" + ids.next(), recipient, Category.MARKETING,
                false, "Spring sale", clock.instant(), 3600, "");
        return new Accepted(message, IdempotencyRecord.acceptance(message), counts);
    }

    private void append(Accepted... messages) {
        new RocksDeliveryQueues(storage).append(List.of(messages)).join();
    }

    @Test
    void countsAreWrittenWithTheirMessagesAndSurviveACrash() {
        long at = clock.millis();
        MarketingSend send = new MarketingSend(SHOP, at, 42L);
        append(accepted(ALICE, new AntiSpamCounts(SHOP, ALICE, at, 0, send)));
        clock.advance(Duration.ofMinutes(1));
        long later = clock.millis();
        append(accepted(ALICE, new AntiSpamCounts(SHOP, ALICE, later, at, null)),
                accepted(BOB, new AntiSpamCounts(SHOP, BOB, later, 0, null)));

        crashAndReopen();

        RocksLimitStore limits = new RocksLimitStore(storage);
        assertThat(limits.lastContact(SHOP, ALICE)).isEqualTo(later);
        assertThat(limits.contacts(SHOP, null, Long.MAX_VALUE, 10)).as("the replaced index entry went")
                .containsExactly(new Contact(ALICE, later), new Contact(BOB, later));
        assertThat(limits.marketing(ALICE, at - 1)).containsExactly(send);
        assertThat(limits.marketing(ALICE, at)).as("only after the given time").isEmpty();
        assertThat(limits.countContacts(SHOP, at, at - 1)).isEqualTo(new ContactCounts(2, 2));
    }

    @Test
    void theTimeIndexIsReadFromAPositionUpToATime() {
        long t0 = clock.millis();
        append(accepted(ALICE, new AntiSpamCounts(SHOP, ALICE, t0, 0, null)),
                accepted(BOB, new AntiSpamCounts(SHOP, BOB, t0, 0, null)));
        append(accepted(PhoneNumber.parse("+447911100003").orElseThrow(),
                new AntiSpamCounts(SHOP, PhoneNumber.parse("+447911100003").orElseThrow(), t0 + 5, 0, null)));
        RocksLimitStore limits = new RocksLimitStore(storage);

        assertThat(limits.contacts(SHOP, new Contact(ALICE, t0), t0 + 5, 10)).extracting(Contact::recipient)
                .containsExactly(BOB, PhoneNumber.parse("+447911100003").orElseThrow());
        assertThat(limits.contacts(SHOP, Contact.after(t0), t0 + 4, 10)).isEmpty();
        assertThat(limits.nextContact(SHOP, Contact.after(t0)).atMillis()).isEqualTo(t0 + 5);
        assertThat(limits.contacts(SHOP, null, t0, 1)).containsExactly(new Contact(ALICE, t0));
        assertThat(limits.contacts("other-shop", null, Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    void forgettingAContactKeepsANewerOne() {
        long t0 = clock.millis();
        append(accepted(ALICE, new AntiSpamCounts(SHOP, ALICE, t0, 0, null)),
                accepted(BOB, new AntiSpamCounts(SHOP, BOB, t0, 0, null)));
        append(accepted(BOB, new AntiSpamCounts(SHOP, BOB, t0 + 10, t0, null)));
        RocksLimitStore limits = new RocksLimitStore(storage);

        limits.forget(SHOP, List.of(new Contact(ALICE, t0), new Contact(BOB, t0))).join();

        assertThat(limits.lastContact(SHOP, ALICE)).isZero();
        assertThat(limits.lastContact(SHOP, BOB)).isEqualTo(t0 + 10);
        assertThat(limits.contacts(SHOP, null, Long.MAX_VALUE, 10)).containsExactly(new Contact(BOB, t0 + 10));
    }

    @Test
    void theMarketingSweepForgetsOldOffersASliceAtATime() {
        long t0 = clock.millis();
        for (int i = 0; i < 5; i++) {
            append(accepted(ALICE, new AntiSpamCounts(SHOP, ALICE, 0, 0, new MarketingSend(SHOP, t0 + i, i))));
        }
        RocksLimitStore limits = new RocksLimitStore(storage);

        assertThat(limits.sweepMarketing(t0 + 2, 2).join()).isEqualTo(2);
        assertThat(limits.sweepMarketing(t0 + 2, 2).join()).isEqualTo(1);
        assertThat(limits.sweepMarketing(t0 + 2, 2).join()).isZero();
        assertThat(limits.marketing(ALICE, 0)).extracting(MarketingSend::textHash).containsExactly(3L, 4L);
    }

    @Test
    void theLimitsRefuseAfterACrashWhatTheyRefusedBefore() {
        RocksLimitStore store = new RocksLimitStore(storage);
        AntiSpamLimits limits = new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock, store, Standings.CONFIGURED);
        org.optline.core.business.Business shop = new org.optline.core.business.Business(SHOP,
                List.of(org.optline.core.business.Credential.ofSecret("k")), 100, new Tier(1), Quality.GREEN,
                java.util.Map.of());
        AntiSpamLimits.Verdict verdict = limits.admit(shop, ALICE, Category.MARKETING, "Spring sale");
        append(accepted(ALICE, verdict.counts()));
        verdict.settle();

        crashAndReopen();

        AntiSpamLimits restarted = new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock, new RocksLimitStore(storage),
                Standings.CONFIGURED);
        assertThat(restarted.admit(shop, BOB, Category.TRANSACTIONAL, "Your order shipped").refusal())
                .contains(org.optline.core.message.Reason.TIER_LIMIT_REACHED);
        assertThat(restarted.admit(shop, ALICE, Category.MARKETING, "Spring sale").refusal())
                .contains(org.optline.core.message.Reason.DUPLICATE_CONTENT);
    }

    @Test
    void aComplaintCountsOnceAndStandingsAreStoredWithTheirEvents() {
        RocksQualityStore quality = new RocksQualityStore(storage);
        Instant at = clock.instant();
        assertThat(quality.recordComplaint(SHOP, FeedbackKind.SPAM_REPORT, "m-1", at).join()).isTrue();
        assertThat(quality.recordComplaint(SHOP, FeedbackKind.SPAM_REPORT, "m-1", at).join()).isFalse();
        assertThat(quality.recordComplaint(SHOP, FeedbackKind.BLOCK, "someone", at).join()).isTrue();
        long hour = at.toEpochMilli() - Math.floorMod(at.toEpochMilli(), 3_600_000L);
        quality.addPositives(SHOP, hour, 7).join();
        Standing standing = new Standing(SHOP, Tier.TIER_10K, Quality.RED, 3, Standing.HELD, at.toEpochMilli(), 1, 2,
                3);
        StandingEvent event = new StandingEvent(0, SHOP, at, StandingEvent.Kind.MARKETING_PAUSED, null, null, null, null,
                3, null, "pause 3, held until an operator lifts it");
        List<StandingEvent> numbered = quality.save(standing, List.of(event)).join();

        crashAndReopen();

        RocksQualityStore reopened = new RocksQualityStore(storage);
        assertThat(reopened.counts(SHOP, 0).join()).containsExactly(new SignalCounts(hour, 1, 1, 7));
        assertThat(reopened.standings().join()).containsExactly(standing);
        assertThat(reopened.events(SHOP, 0, 10).join()).containsExactly(numbered.get(0));
        assertThat(numbered.get(0).sequence()).isPositive();
        assertThat(reopened.events(SHOP, numbered.get(0).sequence(), 10).join()).isEmpty();
        clock.advance(Duration.ofDays(8));
        assertThat(reopened.forget(clock.millis() - Duration.ofDays(7).toMillis(), 100).join()).isEqualTo(3);
        assertThat(reopened.counts(SHOP, 0).join()).isEmpty();
        assertThat(reopened.recordComplaint(SHOP, FeedbackKind.SPAM_REPORT, "m-1", clock.instant()).join())
                .as("its record was forgotten with its window").isTrue();
    }

    @Test
    void templatesAreStoredReplacedAndDeleted() {
        RocksTemplateStore templates = new RocksTemplateStore(storage);
        RegisteredTemplate first = new RegisteredTemplate(SHOP, new Template("cart", Category.MARKETING,
                "Hi {{1}}, you left items in your cart!"), Category.TRANSACTIONAL, 1,
                "registered as MARKETING: the text reads as marketing", clock.instant(), RegisteredTemplate.Source.API);
        RegisteredTemplate second = new RegisteredTemplate(SHOP, new Template("cart", Category.MARKETING,
                "Hi {{1}}, your cart misses you!"), Category.MARKETING, 2, "", clock.instant(),
                RegisteredTemplate.Source.API);
        templates.put(first).join();
        templates.put(second).join();

        crashAndReopen();

        RocksTemplateStore reopened = new RocksTemplateStore(storage);
        assertThat(reopened.all().join()).containsExactly(second);
        reopened.delete(SHOP, "cart").join();
        assertThat(reopened.all().join()).isEmpty();
    }
}
