package org.optline.core.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentState;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.testing.MutableClock;

public class InMemoryConsentStoreTest {
    public static final PhoneNumber ALICE = PhoneNumber.parse("+14155550123").orElseThrow();
    public static final PhoneNumber BOB = PhoneNumber.parse("+447911123456").orElseThrow();
    public static final String BANK = "acme-bank";
    public static final String SHOP = "shop";

    private final MutableClock clock = new MutableClock();
    private final InMemoryConsentStore store = new InMemoryConsentStore();

    private ConsentChange change(PhoneNumber who, String business, ConsentAction action, ConsentClass consentClass) {
        clock.advance(Duration.ofSeconds(1));
        return new ConsentChange(who, business, action, consentClass, ConsentSource.APP, "v1", clock.instant());
    }

    private void apply(PhoneNumber who, String business, ConsentAction action, ConsentClass consentClass) {
        assertThat(store.apply(change(who, business, action, consentClass))).isCompleted();
    }

    @Test
    void absentRecordIsNone() {
        assertThat(store.get(new ConsentKey(ALICE, BANK)).join()).isEqualTo(ConsentRecord.NONE);
        assertThat(store.get(ConsentKey.everyBusiness(ALICE)).join()).isEqualTo(ConsentRecord.NONE);
        assertThat(ConsentRecord.NONE.state(ConsentClass.TRANSACTIONAL)).isEqualTo(ConsentState.ABSENT);
        assertThat(ConsentRecord.NONE.state(ConsentClass.MARKETING)).isEqualTo(ConsentState.ABSENT);
        assertThat(ConsentRecord.NONE.blocked()).isFalse();
    }

    @Test
    void optInConcernsOneClassOfOneBusiness() {
        apply(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL);

        assertThat(store.get(new ConsentKey(ALICE, BANK)).join())
                .isEqualTo(new ConsentRecord(ConsentState.OPTED_IN, ConsentState.ABSENT, false));
        assertThat(store.get(new ConsentKey(ALICE, SHOP)).join()).isEqualTo(ConsentRecord.NONE);
        assertThat(store.get(new ConsentKey(BOB, BANK)).join()).isEqualTo(ConsentRecord.NONE);
    }

    @Test
    void optOutReplacesAnOptIn() {
        apply(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.MARKETING);
        apply(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL);
        apply(ALICE, BANK, ConsentAction.OPT_OUT, ConsentClass.MARKETING);

        assertThat(store.get(new ConsentKey(ALICE, BANK)).join())
                .isEqualTo(new ConsentRecord(ConsentState.OPTED_IN, ConsentState.OPTED_OUT, false));
    }

    @Test
    void blockKeepsTheClassStatesAndUnblockRestoresThem() {
        apply(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL);
        apply(ALICE, BANK, ConsentAction.BLOCK, null);

        assertThat(store.get(new ConsentKey(ALICE, BANK)).join())
                .isEqualTo(new ConsentRecord(ConsentState.OPTED_IN, ConsentState.ABSENT, true));

        apply(ALICE, BANK, ConsentAction.UNBLOCK, null);
        assertThat(store.get(new ConsentKey(ALICE, BANK)).join())
                .isEqualTo(new ConsentRecord(ConsentState.OPTED_IN, ConsentState.ABSENT, false));
    }

    @Test
    void marketingOffIsKeptOnTheRecipientWideRecord() {
        apply(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.MARKETING);
        ConsentChange off = change(ALICE, BANK, ConsentAction.MARKETING_OFF, null);

        assertThat(off.businessId()).isEqualTo(ConsentKey.EVERY_BUSINESS);
        assertThat(off.key()).isEqualTo(ConsentKey.everyBusiness(ALICE));
        store.apply(off);

        assertThat(store.get(ConsentKey.everyBusiness(ALICE)).join().marketing()).isEqualTo(ConsentState.OPTED_OUT);
        assertThat(store.get(new ConsentKey(ALICE, BANK)).join().marketing())
                .as("the per-business record is untouched").isEqualTo(ConsentState.OPTED_IN);

        apply(ALICE, null, ConsentAction.MARKETING_ON, null);
        assertThat(store.get(ConsentKey.everyBusiness(ALICE)).join().marketing()).isEqualTo(ConsentState.ABSENT);
    }

    @Test
    void recipientRecordsListEveryBusinessAndTheRecipientWideRecord() {
        apply(ALICE, SHOP, ConsentAction.OPT_IN, ConsentClass.MARKETING);
        apply(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL);
        apply(ALICE, null, ConsentAction.MARKETING_OFF, null);
        apply(BOB, BANK, ConsentAction.BLOCK, null);

        assertThat(store.recipientRecords(ALICE).join()).containsOnlyKeys(BANK, SHOP, ConsentKey.EVERY_BUSINESS);
        assertThat(store.recipientRecords(ALICE).join().get(SHOP).marketing()).isEqualTo(ConsentState.OPTED_IN);
        assertThat(store.recipientRecords(BOB).join()).containsOnlyKeys(BANK);
        assertThat(store.recipientRecords(PhoneNumber.parse("+14155550199").orElseThrow()).join()).isEmpty();
    }

    @Test
    void historyKeepsEveryChangeOldestFirst() {
        ConsentChange first = change(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL);
        ConsentChange second = change(ALICE, SHOP, ConsentAction.OPT_IN, ConsentClass.MARKETING);
        ConsentChange third = change(ALICE, SHOP, ConsentAction.OPT_OUT, ConsentClass.MARKETING);
        ConsentChange fourth = change(ALICE, null, ConsentAction.MARKETING_OFF, null);
        ConsentChange bobs = change(BOB, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL);
        for (ConsentChange c : List.of(first, second, bobs, third, fourth)) {
            store.apply(c);
        }

        assertThat(store.history(ALICE).join()).containsExactly(first, second, third, fourth);
        assertThat(store.history(ALICE).join()).extracting(ConsentChange::at).isSorted();
        assertThat(store.history(BOB).join()).containsExactly(bobs);
        assertThat(store.history(PhoneNumber.parse("+14155550199").orElseThrow()).join()).isEmpty();
    }

    @Test
    void historyKeepsSourceAndWordingOfEachChange() {
        Instant at = Instant.parse("2025-01-02T03:04:05Z");
        store.apply(new ConsentChange(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.MARKETING,
                ConsentSource.KEYWORD, "promo-2025-01", at));

        assertThat(store.history(ALICE).join()).singleElement().satisfies(c -> {
            assertThat(c.source()).isEqualTo(ConsentSource.KEYWORD);
            assertThat(c.wordingVersion()).isEqualTo("promo-2025-01");
            assertThat(c.at()).isEqualTo(at);
        });
    }

    @Test
    void getAllAnswersForEveryKey() {
        apply(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL);
        ConsentKey known = new ConsentKey(ALICE, BANK);
        ConsentKey unknown = new ConsentKey(BOB, BANK);

        assertThat(store.getAll(List.of(known, unknown, known)).join())
                .containsOnlyKeys(known, unknown)
                .containsEntry(unknown, ConsentRecord.NONE);
    }

    @Test
    void optInAndOptOutNeedAClass() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                new ConsentChange(ALICE, BANK, ConsentAction.OPT_IN, null, ConsentSource.API, "", clock.instant()));
        assertThatIllegalArgumentException().isThrownBy(() ->
                new ConsentChange(ALICE, BANK, ConsentAction.OPT_OUT, null, ConsentSource.API, "", clock.instant()));
    }
}
