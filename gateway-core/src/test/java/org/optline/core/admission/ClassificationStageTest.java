package org.optline.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.core.admission.StageFixture.ALICE;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.classify.Classifier;
import org.optline.core.message.Category;
import org.optline.core.message.Reason;

/** Stage 5 alone: the effective category, reclassification towards the stricter class, spam refused. */
class ClassificationStageTest {
    private final ClassificationStage stage = new ClassificationStage(new Classifier());
    private final Business bank = StageFixture.bank();

    @Test
    void anAlertStaysTransactionalAndAnOfferDeclaredTransactionalBecomesMarketing() {
        Candidate alert = StageFixture.validated("a", ALICE, Category.TRANSACTIONAL, "Your balance is 120.50 EUR");
        Candidate offer = StageFixture.validated("o", ALICE, Category.TRANSACTIONAL,
                "Special offer: 20% off all loans this week");

        assertThat(stage.apply(bank, List.of(alert, offer))).isCompleted();

        assertThat(alert.isDecided()).isFalse();
        assertThat(alert.category).isEqualTo(Category.TRANSACTIONAL);
        assertThat(alert.reclassified).isFalse();
        assertThat(offer.isDecided()).isFalse();
        assertThat(offer.category).isEqualTo(Category.MARKETING);
        assertThat(offer.reclassified).isTrue();
    }

    @Test
    void aMessageDeclaredMarketingStaysMarketing() {
        Candidate offer = StageFixture.validated("o", ALICE, Category.MARKETING, "Your balance is 120.50 EUR");

        stage.apply(bank, List.of(offer));

        assertThat(offer.category).isEqualTo(Category.MARKETING);
    }

    @Test
    void aScamIsRefusedAsSpam() {
        Candidate scam = StageFixture.validated("s", ALICE, Category.TRANSACTIONAL,
                "Congratulations! You have won a $1000 prize. Claim your prize at bit.ly/claim-now");

        stage.apply(bank, List.of(scam));

        assertThat(scam.outcome.join().reason()).isEqualTo(Reason.REJECTED_SPAM);
    }
}
