package org.optline.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.core.admission.StageFixture.ALICE;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.message.Category;
import org.optline.core.message.Reason;
import org.optline.core.message.Submission;

/** Stage 3 alone: the recipient, the fields and the template, and what a valid message carries on. */
class ValidationStageTest {
    private final ValidationStage stage = new ValidationStage(AdmissionPolicy.DEFAULTS);
    private final Business bank = StageFixture.bank();

    private Candidate validate(Submission submission) {
        Candidate candidate = new Candidate(submission);
        assertThat(stage.apply(bank, StageFixture.list(candidate))).isCompleted();
        return candidate;
    }

    @Test
    void aValidTextGoesOnWithItsRecipientParsedAndItsText() {
        Candidate candidate = validate(Submission.text("m-1", ALICE, Category.TRANSACTIONAL, "Your balance is 1 EUR"));

        assertThat(candidate.isDecided()).isFalse();
        assertThat(candidate.recipient.e164()).isEqualTo(ALICE);
        assertThat(candidate.text).isEqualTo("Your balance is 1 EUR");
    }

    @Test
    void anInvalidNumberIsInvalidRecipientAndItsDetailDoesNotEchoIt() {
        Candidate candidate = validate(Submission.text("m-1", "+1999555", Category.TRANSACTIONAL, "hi"));

        assertThat(candidate.outcome.join().reason()).isEqualTo(Reason.INVALID_RECIPIENT);
        assertThat(candidate.outcome.join().detail()).doesNotContain("1999555");
    }

    @Test
    void aMissingClientMessageIdOrCategoryIsInvalidMessage() {
        assertThat(validate(Submission.text("", ALICE, Category.TRANSACTIONAL, "hi")).outcome.join().reason())
                .isEqualTo(Reason.INVALID_MESSAGE);
        assertThat(validate(Submission.text("m-1", ALICE, null, "hi")).outcome.join().reason())
                .isEqualTo(Reason.INVALID_MESSAGE);
    }

    @Test
    void aTemplateIsFilledAndItsRegisteredCategoryReplacesTheDeclaredOne() {
        Candidate candidate = validate(new Submission("m-1", ALICE, Category.AUTHENTICATION, null, "balance",
                List.of("10 EUR"), 0, ""));

        assertThat(candidate.isDecided()).isFalse();
        assertThat(candidate.text).isEqualTo("Your balance is 10 EUR");
        assertThat(candidate.category).isEqualTo(Category.TRANSACTIONAL);
    }

    @Test
    void anUnknownTemplateOrTheWrongNumberOfParametersIsUnknownTemplate() {
        assertThat(validate(new Submission("m-1", ALICE, Category.TRANSACTIONAL, null, "nope", List.of(), 0, ""))
                .outcome.join().reason()).isEqualTo(Reason.UNKNOWN_TEMPLATE);
        assertThat(validate(new Submission("m-2", ALICE, Category.TRANSACTIONAL, null, "balance", List.of(), 0, ""))
                .outcome.join().reason()).isEqualTo(Reason.UNKNOWN_TEMPLATE);
    }
}
