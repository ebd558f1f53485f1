package org.optline.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.optline.core.consent.ConsentClass;

class OutcomeTest {

    @Test
    void onlyRateLimitedOverloadedAndStorageUnavailableAreRetryable() {
        assertThat(Arrays.stream(Reason.values()).filter(Reason::isRetryable))
                .containsExactlyInAnyOrder(Reason.RATE_LIMITED, Reason.OVERLOADED, Reason.STORAGE_UNAVAILABLE);
    }

    @Test
    void duplicateKeepsEverythingButTheFlag() {
        Outcome first = Outcome.accepted("m-1", "id-1", Category.MARKETING, true);

        Outcome again = first.asDuplicate();

        assertThat(again.duplicate()).isTrue();
        assertThat(again).usingRecursiveComparison().ignoringFields("duplicate").isEqualTo(first);
        assertThat(first.duplicate()).isFalse();
    }

    @Test
    void refusalHasNoMessageIdAndAcceptedHasNoDetail() {
        Outcome refused = Outcome.refused("m-1", Reason.NOT_OPTED_IN, Category.TRANSACTIONAL, false, "no consent");
        Outcome accepted = Outcome.accepted("m-2", "id-2", Category.TRANSACTIONAL, false);

        assertThat(refused.isAccepted()).isFalse();
        assertThat(refused.messageId()).isNull();
        assertThat(accepted.isAccepted()).isTrue();
        assertThat(accepted.detail()).isEmpty();
    }

    @Test
    void marketingNeedsMarketingConsentAndTheRestTransactional() {
        assertThat(Category.MARKETING.consentClass()).isEqualTo(ConsentClass.MARKETING);
        assertThat(Category.TRANSACTIONAL.consentClass()).isEqualTo(ConsentClass.TRANSACTIONAL);
        assertThat(Category.AUTHENTICATION.consentClass()).isEqualTo(ConsentClass.TRANSACTIONAL);
    }

    @Test
    void submissionToStringNeverShowsTheRecipient() {
        Submission submission = Submission.text("m-1", "+14155550123", Category.TRANSACTIONAL, "Your balance");

        assertThat(submission.toString()).doesNotContain("4155550123").doesNotContain("Your balance");
    }

    @Test
    void submissionTreatsEmptyFieldsAsMissing() {
        Submission submission = new Submission(null, null, Category.TRANSACTIONAL, "", "", null, 0, null);

        assertThat(submission.clientMessageId()).isEmpty();
        assertThat(submission.recipient()).isEmpty();
        assertThat(submission.text()).isNull();
        assertThat(submission.templateName()).isNull();
        assertThat(submission.templateParameters()).isEmpty();
        assertThat(submission.campaignId()).isEmpty();
    }
}
