package org.optline.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.core.admission.StageFixture.ALICE;
import static org.optline.core.admission.StageFixture.BOB;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentStore;
import org.optline.core.message.Category;
import org.optline.core.message.Reason;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.memory.InMemoryConsentStore;
import org.optline.core.testing.GatedConsentStore;

/** Stage 6 alone: the effective category's class decides; a read that completes later is waited for. */
class ConsentStageTest {
    private final InMemoryConsentStore store = new InMemoryConsentStore();
    private final Business bank = StageFixture.bank();

    private void apply(String number, String business, ConsentAction action, ConsentClass consentClass) {
        store.apply(new ConsentChange(PhoneNumber.parse(number).orElseThrow(), business, action, consentClass,
                ConsentSource.APP, "", Instant.EPOCH)).join();
    }

    @Test
    void eachClassNeedsItsOwnOptInAndABlockOrAnOptOutRefuses() {
        apply(ALICE, bank.id(), ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL);
        apply(BOB, bank.id(), ConsentAction.BLOCK, null);
        List<Candidate> batch = StageFixture.list(
                StageFixture.validated("a-alert", ALICE, Category.TRANSACTIONAL, "alert"),
                StageFixture.validated("a-offer", ALICE, Category.MARKETING, "offer"),
                StageFixture.validated("b-alert", BOB, Category.TRANSACTIONAL, "alert"));

        assertThat(new ConsentStage(store).apply(bank, batch)).isCompleted();

        assertThat(StageFixture.reasons(batch)).containsExactly(null, Reason.NOT_OPTED_IN, Reason.BLOCKED);
    }

    @Test
    void marketingOffForEveryBusinessRefusesMarketingOnlyAsOptedOut() {
        apply(ALICE, bank.id(), ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL);
        apply(ALICE, bank.id(), ConsentAction.OPT_IN, ConsentClass.MARKETING);
        apply(ALICE, null, ConsentAction.MARKETING_OFF, null);
        List<Candidate> batch = StageFixture.list(
                StageFixture.validated("alert", ALICE, Category.TRANSACTIONAL, "alert"),
                StageFixture.validated("offer", ALICE, Category.MARKETING, "offer"));

        new ConsentStage(store).apply(bank, batch);

        assertThat(StageFixture.reasons(batch)).containsExactly(null, Reason.OPTED_OUT);
    }

    @Test
    void aReadThatCompletesLaterDecidesWhenItCompletes() {
        apply(ALICE, bank.id(), ConsentAction.OPT_OUT, ConsentClass.TRANSACTIONAL);
        CompletableFuture<Void> diskRead = new CompletableFuture<>();
        ConsentStore slow = new GatedConsentStore(store, diskRead);
        List<Candidate> batch = StageFixture.list(StageFixture.validated("alert", ALICE, Category.TRANSACTIONAL, "a"));

        CompletableFuture<Void> decided = new ConsentStage(slow).apply(bank, batch);
        assertThat(decided).isNotDone();

        diskRead.complete(null);
        assertThat(decided).isCompleted();
        assertThat(StageFixture.reasons(batch)).containsExactly(Reason.OPTED_OUT);
    }
}
