package org.optline.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.classify.Classifier;
import org.optline.core.consent.CachedConsentStore;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentStore;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.inbox.Inbox;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.message.Submission;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.memory.InMemoryConsentStore;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.core.template.Template;
import org.optline.core.testing.MutableClock;

/** Admission end to end over the real stages, in-memory stores, a fake clock and a same-thread executor. */
class AdmissionPipelineTest {
    // Not the number that error details give as an example, so that an echo would show.
    private static final String ALICE = "+12025550142";
    private static final String BOB = "+12025550143";
    private static final String CAROL = "+447911123456";
    private static final String DAVE = "+12025550144";

    private static final String BALANCE_ALERT = "Your balance is $1,234.56";
    private static final String OFFER = "Spring sale: 20% off all savings accounts";

    private static final Template BALANCE = new Template("balance", Category.TRANSACTIONAL,
            "Your balance is {{1}} on {{2}}");
    private static final Template SPRING_PROMO = new Template("spring-promo", Category.MARKETING,
            "Hi {{1}}, our spring rates are here until {{2}}");

    private final MutableClock clock = new MutableClock();
    private final ConsentStore consents = new CachedConsentStore(new InMemoryConsentStore(), 1_000);
    private final InMemoryDeliveryQueues queues = new InMemoryDeliveryQueues();
    private final List<Outcome> reported = new ArrayList<>();
    private final List<Integer> reportedSubmissions = new ArrayList<>();
    private final AdmissionListener listener = new AdmissionListener() {
        @Override
        public void onOutcome(Outcome outcome) {
            reported.add(outcome);
        }

        @Override
        public void onSubmission(int messages, long nanos) {
            reportedSubmissions.add(messages);
        }
    };

    private final Business bank = business("acme-bank", 100, Tier.UNLIMITED, Quality.GREEN);
    private final Business shop = business("corner-shop", 100, Tier.UNLIMITED, Quality.GREEN);
    private final AdmissionPipeline pipeline = pipeline(AdmissionPolicy.DEFAULTS, queues, Runnable::run);

    // ---------------------------------------------------------------- fixture

    private static Business business(String id, int perSecond, Tier tier, Quality quality) {
        return new Business(id, List.of(Credential.ofSecret("olk_" + id)), perSecond, tier, quality,
                Map.of(BALANCE.name(), BALANCE, SPRING_PROMO.name(), SPRING_PROMO));
    }

    private AdmissionPipeline pipeline(AdmissionPolicy policy, DeliveryLog deliveryQueues, Executor executor) {
        return new AdmissionPipeline(policy, DeliveryPolicy.DEFAULTS, clock, consents, deliveryQueues,
                new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW),
                new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock), new Classifier(), executor, listener);
    }

    private static AdmissionPolicy policyWithMaxPendingAppends(int maxPendingAppends) {
        return new AdmissionPolicy(AdmissionPolicy.DEFAULT_MAX_BATCH_SIZE, AdmissionPolicy.DEFAULT_MAX_TEXT_LENGTH,
                AdmissionPolicy.DEFAULT_MAX_CLIENT_MESSAGE_ID_LENGTH, AdmissionPolicy.DEFAULT_MAX_TTL,
                maxPendingAppends, AdmissionPolicy.DEFAULT_OVERLOAD_RETRY_AFTER);
    }

    private static PhoneNumber phone(String number) {
        return PhoneNumber.parse(number).orElseThrow();
    }

    private void consent(String number, Business business, ConsentAction action, ConsentClass consentClass) {
        clock.advance(Duration.ofMillis(1));
        CompletableFuture<Void> acknowledged = consents.apply(new ConsentChange(phone(number), business.id(), action,
                consentClass, ConsentSource.APP, "v1", clock.instant()));
        assertThat(acknowledged).isCompleted();
    }

    private void optIn(String number, Business business, ConsentClass... classes) {
        for (ConsentClass consentClass : classes) {
            consent(number, business, ConsentAction.OPT_IN, consentClass);
        }
    }

    private static Submission text(String clientMessageId, String to, Category declared, String text) {
        return Submission.text(clientMessageId, to, declared, text);
    }

    private static Submission alert(String clientMessageId, String to) {
        return text(clientMessageId, to, Category.TRANSACTIONAL, BALANCE_ALERT);
    }

    private static Submission offer(String clientMessageId, String to, String text) {
        return text(clientMessageId, to, Category.MARKETING, text);
    }

    /** Admits on the pipeline under test and returns the answers, which must already be there. */
    private List<Outcome> admit(Business business, Submission... submissions) {
        return answered(pipeline.admit(business, List.of(submissions)));
    }

    private Outcome admitOne(Business business, Submission submission) {
        return admit(business, submission).get(0);
    }

    private static List<Outcome> answered(CompletableFuture<List<Outcome>> answers) {
        assertThat(answers).as("answered without waiting").isDone();
        return answers.join();
    }

    private List<QueuedMessage> queued(Inbox inbox, String number) {
        return inbox.peek(phone(number), 1_000).join();
    }

    private List<QueuedMessage> queued(ManualDeliveryQueues disk, String number) {
        return queued(disk.stored(), number);
    }

    private List<QueuedMessage> queued(String number) {
        return queued(queues, number);
    }

    private static List<Reason> reasons(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::reason).toList();
    }

    // ---------------------------------------------------------------- consent

    @Test
    void optedInTransactionalMessageIsAcceptedAndQueued() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome outcome = admitOne(bank, alert("m-1", ALICE));

        assertThat(outcome.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(outcome.clientMessageId()).isEqualTo("m-1");
        assertThat(outcome.category()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(outcome.reclassified()).isFalse();
        assertThat(outcome.duplicate()).isFalse();
        assertThat(outcome.detail()).isEmpty();
        assertThat(UUID.fromString(outcome.messageId()).version()).isEqualTo(7);
        assertThat(queued(ALICE)).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(outcome.messageId());
            assertThat(m.businessId()).isEqualTo("acme-bank");
            assertThat(m.clientMessageId()).isEqualTo("m-1");
            assertThat(m.category()).isEqualTo(Category.TRANSACTIONAL);
            assertThat(m.text()).isEqualTo(BALANCE_ALERT);
            assertThat(m.acceptedAt()).isEqualTo(clock.instant());
        });
        assertThat(queues.find(outcome.messageId()).join()).isPresent();
    }

    @Test
    void ttlAndCampaignTravelWithTheQueuedMessage() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        admitOne(bank, new Submission("m-1", ALICE, Category.TRANSACTIONAL, BALANCE_ALERT, null, null, 3_600, "q2"));

        assertThat(queued(ALICE)).singleElement().satisfies(m -> {
            assertThat(m.ttlSeconds()).isEqualTo(3_600);
            assertThat(m.campaignId()).isEqualTo("q2");
        });
    }

    @Test
    void noConsentRecordIsNotOptedIn() {
        Outcome outcome = admitOne(bank, alert("m-1", ALICE));

        assertThat(outcome.reason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(outcome.messageId()).isNull();
        assertThat(outcome.category()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(queued(ALICE)).isEmpty();
    }

    @Test
    void consentFromAnotherBusinessDoesNotCount() {
        optIn(ALICE, shop, ConsentClass.TRANSACTIONAL, ConsentClass.MARKETING);

        assertThat(admitOne(bank, alert("m-1", ALICE)).reason()).isEqualTo(Reason.NOT_OPTED_IN);
    }

    @Test
    void transactionalConsentDoesNotCoverMarketing() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome outcome = admitOne(bank, offer("m-1", ALICE, OFFER));

        assertThat(outcome.reason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(outcome.category()).isEqualTo(Category.MARKETING);
    }

    @Test
    void optOutRefusesTheNextMarketingMessage() {
        optIn(ALICE, bank, ConsentClass.MARKETING);
        assertThat(admitOne(bank, offer("m-1", ALICE, OFFER)).reason()).isEqualTo(Reason.ACCEPTED);

        consent(ALICE, bank, ConsentAction.OPT_OUT, ConsentClass.MARKETING);
        Outcome next = admitOne(bank, offer("m-2", ALICE, "Summer sale: 30% off"));

        assertThat(next.reason()).isEqualTo(Reason.OPTED_OUT);
        assertThat(queued(ALICE)).hasSize(1);
    }

    @Test
    void optOutOfTransactionalRefusesAlertsAndOneTimeCodes() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);
        consent(ALICE, bank, ConsentAction.OPT_OUT, ConsentClass.TRANSACTIONAL);

        List<Outcome> outcomes = admit(bank, alert("m-1", ALICE),
                text("m-2", ALICE, Category.TRANSACTIONAL, "Your verification code is 482913"));

        assertThat(reasons(outcomes)).containsExactly(Reason.OPTED_OUT, Reason.OPTED_OUT);
        assertThat(outcomes.get(1).category()).isEqualTo(Category.AUTHENTICATION);
    }

    @Test
    void blockRefusesEveryClassOfTheBlockedBusinessOnly() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL, ConsentClass.MARKETING);
        optIn(ALICE, shop, ConsentClass.TRANSACTIONAL);
        consent(ALICE, bank, ConsentAction.BLOCK, null);

        assertThat(reasons(admit(bank, alert("m-1", ALICE), offer("m-2", ALICE, OFFER))))
                .containsExactly(Reason.BLOCKED, Reason.BLOCKED);
        assertThat(admitOne(shop, alert("m-3", ALICE)).reason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void unblockRestoresThePreviousConsent() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);
        consent(ALICE, bank, ConsentAction.BLOCK, null);
        assertThat(admitOne(bank, alert("m-1", ALICE)).reason()).isEqualTo(Reason.BLOCKED);

        consent(ALICE, bank, ConsentAction.UNBLOCK, null);

        assertThat(admitOne(bank, alert("m-2", ALICE)).reason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void marketingOffEverywhereRefusesOffersButKeepsAlerts() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL, ConsentClass.MARKETING);
        optIn(ALICE, shop, ConsentClass.MARKETING);
        consent(ALICE, bank, ConsentAction.MARKETING_OFF, null);

        List<Outcome> fromBank = admit(bank, offer("m-1", ALICE, OFFER), alert("m-2", ALICE));
        Outcome fromShop = admitOne(shop, offer("m-3", ALICE, "Corner shop deals this week"));

        assertThat(reasons(fromBank)).containsExactly(Reason.OPTED_OUT, Reason.ACCEPTED);
        assertThat(fromShop.reason()).isEqualTo(Reason.OPTED_OUT);
        assertThat(fromShop.detail()).contains("every business");
    }

    @Test
    void marketingOnAgainRestoresPerBusinessOptIns() {
        optIn(ALICE, bank, ConsentClass.MARKETING);
        consent(ALICE, bank, ConsentAction.MARKETING_OFF, null);
        assertThat(admitOne(bank, offer("m-1", ALICE, OFFER)).reason()).isEqualTo(Reason.OPTED_OUT);

        consent(ALICE, bank, ConsentAction.MARKETING_ON, null);

        assertThat(admitOne(bank, offer("m-2", ALICE, OFFER)).reason()).isEqualTo(Reason.ACCEPTED);
    }

    // ---------------------------------------------------------------- classification

    @Test
    void offerDeclaredTransactionalIsReclassifiedAndNeedsMarketingConsent() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome outcome = admitOne(bank, text("m-1", ALICE, Category.TRANSACTIONAL, OFFER));

        assertThat(outcome.reason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(outcome.category()).isEqualTo(Category.MARKETING);
        assertThat(outcome.reclassified()).isTrue();
        assertThat(outcome.detail()).contains("reclassified as MARKETING: the text reads as marketing: ")
                .contains("a price cut");
        assertThat(queued(ALICE)).isEmpty();
    }

    @Test
    void reclassifiedOfferIsAcceptedWithMarketingConsentAndQueuedAsMarketing() {
        optIn(ALICE, bank, ConsentClass.MARKETING);

        Outcome outcome = admitOne(bank, text("m-1", ALICE, Category.TRANSACTIONAL, OFFER));

        assertThat(outcome.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(outcome.category()).isEqualTo(Category.MARKETING);
        assertThat(outcome.reclassified()).isTrue();
        assertThat(outcome.detail()).startsWith("reclassified as MARKETING: ");
        assertThat(queued(ALICE)).singleElement().extracting(QueuedMessage::category).isEqualTo(Category.MARKETING);
    }

    @Test
    void oneTimeCodeIsAuthenticationUnderTransactionalConsent() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome outcome = admitOne(bank, text("m-1", ALICE, Category.TRANSACTIONAL, "Your verification code is 482913"));

        assertThat(outcome.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(outcome.category()).isEqualTo(Category.AUTHENTICATION);
        assertThat(outcome.reclassified()).isTrue();
    }

    @Test
    void spamIsRejectedEvenWithFullConsent() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL, ConsentClass.MARKETING);

        List<Outcome> outcomes = admit(bank,
                text("m-1", ALICE, Category.TRANSACTIONAL, "Congratulations, you have won! Claim your prize"),
                text("m-2", ALICE, Category.TRANSACTIONAL, "Your statement: bit.ly/3xYz"),
                offer("m-3", ALICE, "Verify your account password now at https://acme-login.example"));

        assertThat(reasons(outcomes)).containsOnly(Reason.REJECTED_SPAM);
        assertThat(outcomes).extracting(Outcome::detail).allSatisfy(detail -> assertThat(detail)
                .startsWith("the text reads as spam: "));
        assertThat(outcomes.get(0).detail()).contains("prize");
        assertThat(outcomes.get(1).detail()).contains("shortened link \"bit.ly\"");
        assertThat(outcomes.get(2).detail()).contains("a request to verify account or card details");
        assertThat(queued(ALICE)).isEmpty();
    }

    // ---------------------------------------------------------------- validation

    @Test
    void invalidRecipientIsRefusedWithoutEchoingTheNumber() {
        List<Outcome> outcomes = admit(bank, alert("m-1", "+1202555"), alert("m-2", "12025550142"),
                alert("m-3", ""), alert("m-4", "call me maybe"));

        assertThat(reasons(outcomes)).containsOnly(Reason.INVALID_RECIPIENT);
        assertThat(outcomes).extracting(Outcome::detail).allSatisfy(detail ->
                assertThat(detail).doesNotContain("202555").doesNotContain("call me"));
    }

    @Test
    void missingClientMessageIdIsInvalidMessage() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome outcome = admitOne(bank, alert("", ALICE));

        assertThat(outcome.reason()).isEqualTo(Reason.INVALID_MESSAGE);
        assertThat(outcome.clientMessageId()).isEmpty();
        assertThat(outcome.detail()).contains("client_message_id");
    }

    @Test
    void textAndTemplateTogetherIsInvalidMessage() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome outcome = admitOne(bank, new Submission("m-1", ALICE, Category.TRANSACTIONAL, BALANCE_ALERT,
                "balance", List.of("$1", "today"), 0, ""));

        assertThat(outcome.reason()).isEqualTo(Reason.INVALID_MESSAGE);
        assertThat(outcome.detail()).contains("exclusive");
    }

    @Test
    void textLongerThanTheLimitIsInvalidMessage() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);
        String atLimit = "x".repeat(AdmissionPolicy.DEFAULT_MAX_TEXT_LENGTH);

        List<Outcome> outcomes = admit(bank, text("m-1", ALICE, Category.TRANSACTIONAL, atLimit + "x"),
                text("m-2", ALICE, Category.TRANSACTIONAL, atLimit));

        assertThat(reasons(outcomes)).containsExactly(Reason.INVALID_MESSAGE, Reason.ACCEPTED);
    }

    @Test
    void otherMissingOrOversizedFieldsAreInvalidMessage() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);
        String tooLongId = "c".repeat(AdmissionPolicy.DEFAULT_MAX_CLIENT_MESSAGE_ID_LENGTH + 1);
        String tooLongParameter = "p".repeat(AdmissionPolicy.DEFAULT_MAX_TEXT_LENGTH + 1);
        long maxTtl = AdmissionPolicy.DEFAULT_MAX_TTL.toSeconds();

        List<Outcome> outcomes = admit(bank,
                text("m-1", ALICE, Category.TRANSACTIONAL, null),
                text("m-2", ALICE, null, BALANCE_ALERT),
                alert(tooLongId, ALICE),
                new Submission("m-4", ALICE, Category.TRANSACTIONAL, BALANCE_ALERT, null, null, -1, ""),
                new Submission("m-5", ALICE, Category.TRANSACTIONAL, BALANCE_ALERT, null, null, (int) maxTtl + 1, ""),
                new Submission("m-6", ALICE, Category.TRANSACTIONAL, BALANCE_ALERT, null, null, 0, tooLongId),
                Submission.template("m-7", ALICE, Category.TRANSACTIONAL, "balance", List.of(tooLongParameter, "x")),
                new Submission("m-8", ALICE, Category.TRANSACTIONAL, BALANCE_ALERT, null, null, (int) maxTtl, ""));

        assertThat(reasons(outcomes)).containsExactly(Reason.INVALID_MESSAGE, Reason.INVALID_MESSAGE,
                Reason.INVALID_MESSAGE, Reason.INVALID_MESSAGE, Reason.INVALID_MESSAGE, Reason.INVALID_MESSAGE,
                Reason.INVALID_MESSAGE, Reason.ACCEPTED);
        assertThat(queued(ALICE)).hasSize(1);
    }

    @Test
    void unknownTemplateNameIsUnknownTemplate() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome outcome = admitOne(bank,
                Submission.template("m-1", ALICE, Category.TRANSACTIONAL, "no-such-template", List.of()));

        assertThat(outcome.reason()).isEqualTo(Reason.UNKNOWN_TEMPLATE);
        assertThat(outcome.detail()).contains("no-such-template");
    }

    @Test
    void wrongParameterCountIsUnknownTemplate() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        List<Outcome> outcomes = admit(bank,
                Submission.template("m-1", ALICE, Category.TRANSACTIONAL, "balance", List.of("$1")),
                Submission.template("m-2", ALICE, Category.TRANSACTIONAL, "balance", List.of("$1", "today", "extra")));

        assertThat(reasons(outcomes)).containsExactly(Reason.UNKNOWN_TEMPLATE, Reason.UNKNOWN_TEMPLATE);
        assertThat(outcomes.get(0).detail()).contains("takes 2 parameters, got 1");
    }

    @Test
    void templateMessageIsAcceptedWithTheRenderedTextInTheQueue() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome outcome = admitOne(bank,
                Submission.template("m-1", ALICE, Category.TRANSACTIONAL, "balance", List.of("$10.00", "1 March")));

        assertThat(outcome.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(outcome.category()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(queued(ALICE)).singleElement().extracting(QueuedMessage::text)
                .isEqualTo("Your balance is $10.00 on 1 March");
    }

    @Test
    void templatesRegisteredCategoryReplacesTheDeclaredOne() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome outcome = admitOne(bank,
                Submission.template("m-1", ALICE, Category.TRANSACTIONAL, "spring-promo", List.of("Alice", "May")));

        assertThat(outcome.reason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(outcome.category()).isEqualTo(Category.MARKETING);
        assertThat(outcome.reclassified()).isTrue();
    }

    @Test
    void marketingTemplateIsAcceptedWithMarketingConsent() {
        optIn(ALICE, bank, ConsentClass.MARKETING);

        Outcome outcome = admitOne(bank,
                Submission.template("m-1", ALICE, Category.MARKETING, "spring-promo", List.of("Alice", "May")));

        assertThat(outcome.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(outcome.reclassified()).isFalse();
        assertThat(queued(ALICE)).singleElement().extracting(QueuedMessage::text)
                .isEqualTo("Hi Alice, our spring rates are here until May");
    }

    @Test
    void batchLargerThanTheLimitIsRefusedAsAWhole() {
        AdmissionPolicy small = new AdmissionPolicy(2, 1_600, 128, Duration.ofDays(7), 100, Duration.ofMillis(50));
        AdmissionPipeline smallBatches = pipeline(small, queues, Runnable::run);

        assertThatIllegalArgumentException().isThrownBy(() -> smallBatches.admit(bank,
                List.of(alert("m-1", ALICE), alert("m-2", ALICE), alert("m-3", ALICE))));
        assertThat(smallBatches.policy()).isEqualTo(small);
    }

    // ---------------------------------------------------------------- throughput

    @Test
    void partOfABatchBeyondTheBucketIsRateLimitedWithRetryAfter() {
        Business slow = business("slow-bank", 3, Tier.UNLIMITED, Quality.GREEN);
        optIn(ALICE, slow, ConsentClass.TRANSACTIONAL);

        List<Outcome> outcomes = admit(slow, alert("m-1", ALICE), alert("m-2", ALICE), alert("m-3", ALICE),
                alert("m-4", ALICE), alert("m-5", ALICE));

        assertThat(reasons(outcomes)).containsExactly(Reason.ACCEPTED, Reason.ACCEPTED, Reason.ACCEPTED,
                Reason.RATE_LIMITED, Reason.RATE_LIMITED);
        assertThat(outcomes.subList(3, 5)).allSatisfy(limited -> {
            assertThat(limited.retryAfterMillis()).isEqualTo(334);
            assertThat(limited.messageId()).isNull();
            assertThat(limited.reason().isRetryable()).isTrue();
        });
        assertThat(queued(ALICE)).extracting(QueuedMessage::clientMessageId).containsExactly("m-1", "m-2", "m-3");
    }

    @Test
    void rateLimitedMessagesAreAdmittedAfterTheRetryAfter() {
        Business slow = business("slow-bank", 3, Tier.UNLIMITED, Quality.GREEN);
        optIn(ALICE, slow, ConsentClass.TRANSACTIONAL);
        List<Outcome> first = admit(slow, alert("m-1", ALICE), alert("m-2", ALICE), alert("m-3", ALICE),
                alert("m-4", ALICE));
        assertThat(first.get(3).reason()).isEqualTo(Reason.RATE_LIMITED);

        clock.advance(Duration.ofMillis(first.get(3).retryAfterMillis()));
        Outcome retry = admitOne(slow, alert("m-4", ALICE));

        assertThat(retry.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(retry.duplicate()).isFalse();
        assertThat(queued(ALICE)).extracting(QueuedMessage::clientMessageId)
                .containsExactly("m-1", "m-2", "m-3", "m-4");
    }

    @Test
    void throughputIsCheckedBeforeValidation() {
        Business slow = business("slow-bank", 1, Tier.UNLIMITED, Quality.GREEN);
        optIn(ALICE, slow, ConsentClass.TRANSACTIONAL);

        assertThat(reasons(admit(slow, alert("m-1", "not a number"), alert("m-2", ALICE))))
                .containsExactly(Reason.INVALID_RECIPIENT, Reason.RATE_LIMITED);
    }

    // ---------------------------------------------------------------- idempotency

    @Test
    void repeatedClientMessageIdReturnsTheFirstOutcomeAndQueuesNothingNew() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);
        Outcome first = admitOne(bank, alert("m-1", ALICE));

        clock.advance(Duration.ofHours(1));
        Outcome retry = admitOne(bank, text("m-1", ALICE, Category.TRANSACTIONAL, "a different text"));

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry).usingRecursiveComparison().ignoringFields("duplicate").isEqualTo(first);
        assertThat(queued(ALICE)).singleElement().extracting(QueuedMessage::text).isEqualTo(BALANCE_ALERT);
    }

    @Test
    void twoCopiesInOneBatchQueueOneMessage() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        List<Outcome> outcomes = admit(bank, alert("m-1", ALICE), alert("m-1", ALICE));

        assertThat(reasons(outcomes)).containsExactly(Reason.ACCEPTED, Reason.ACCEPTED);
        assertThat(outcomes.get(0).duplicate()).isFalse();
        assertThat(outcomes.get(1).duplicate()).isTrue();
        assertThat(outcomes.get(1).messageId()).isEqualTo(outcomes.get(0).messageId());
        assertThat(queued(ALICE)).hasSize(1);
    }

    @Test
    void repeatOfARefusalReturnsTheRefusalAgain() {
        Outcome first = admitOne(bank, alert("m-1", ALICE));
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome retry = admitOne(bank, alert("m-1", ALICE));

        assertThat(first.reason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(retry.reason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(retry.duplicate()).isTrue();
        assertThat(queued(ALICE)).isEmpty();
    }

    @Test
    void sameClientMessageIdFromAnotherBusinessIsNotARepeat() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);
        optIn(ALICE, shop, ConsentClass.TRANSACTIONAL);

        Outcome fromBank = admitOne(bank, alert("m-1", ALICE));
        Outcome fromShop = admitOne(shop, alert("m-1", ALICE));

        assertThat(fromShop.duplicate()).isFalse();
        assertThat(fromShop.messageId()).isNotEqualTo(fromBank.messageId());
        assertThat(queued(ALICE)).hasSize(2);
    }

    @Test
    void clientMessageIdIsFreeAgainAfter24Hours() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);
        Outcome first = admitOne(bank, alert("m-1", ALICE));

        clock.advance(Duration.ofHours(24));
        Outcome later = admitOne(bank, alert("m-1", ALICE));

        assertThat(later.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(later.duplicate()).isFalse();
        assertThat(later.messageId()).isNotEqualTo(first.messageId());
        assertThat(queued(ALICE)).hasSize(2);
    }

    @Test
    void invalidMessageClaimsNoClientMessageId() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);
        assertThat(admitOne(bank, alert("m-1", "bad number")).reason()).isEqualTo(Reason.INVALID_RECIPIENT);

        Outcome fixed = admitOne(bank, alert("m-1", ALICE));

        assertThat(fixed.reason()).isEqualTo(Reason.ACCEPTED);
        assertThat(fixed.duplicate()).isFalse();
    }

    // ---------------------------------------------------------------- routing and overload

    @Test
    void messagesOfOneBusinessReachTheRecipientInAcceptanceOrder() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);
        optIn(BOB, bank, ConsentClass.TRANSACTIONAL);

        admit(bank, alert("m-1", ALICE), alert("m-2", BOB), alert("m-3", ALICE));
        clock.advance(Duration.ofMillis(5));
        admit(bank, alert("m-4", ALICE));

        assertThat(queued(ALICE)).extracting(QueuedMessage::clientMessageId).containsExactly("m-1", "m-3", "m-4");
        assertThat(queued(BOB)).extracting(QueuedMessage::clientMessageId).containsExactly("m-2");
    }

    @Test
    void acceptedIsAnsweredOnlyOnceTheAppendIsSafe() {
        ManualDeliveryQueues disk = new ManualDeliveryQueues();
        AdmissionPipeline slowDisk = pipeline(AdmissionPolicy.DEFAULTS, disk, Runnable::run);
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        CompletableFuture<List<Outcome>> answers = slowDisk.admit(bank, List.of(alert("m-1", ALICE)));
        assertThat(answers).isNotDone();
        assertThat(slowDisk.pendingAppends()).isEqualTo(1);

        disk.completeNext();

        assertThat(answered(answers)).singleElement().extracting(Outcome::reason).isEqualTo(Reason.ACCEPTED);
        assertThat(slowDisk.pendingAppends()).isZero();
        assertThat(queued(disk, ALICE)).hasSize(1);
    }

    @Test
    void tooManyPendingAppendsIsOverloadedAndTheRetryIsAdmittedAfresh() {
        ManualDeliveryQueues disk = new ManualDeliveryQueues();
        AdmissionPipeline slowDisk = pipeline(policyWithMaxPendingAppends(2), disk, Runnable::run);
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);
        optIn(BOB, bank, ConsentClass.TRANSACTIONAL);

        CompletableFuture<List<Outcome>> first = slowDisk.admit(bank, List.of(alert("m-1", ALICE), alert("m-2", BOB)));
        List<Outcome> overloaded = answered(slowDisk.admit(bank, List.of(alert("m-3", ALICE))));

        assertThat(first).isNotDone();
        assertThat(overloaded).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo(Reason.OVERLOADED);
            assertThat(o.retryAfterMillis()).isEqualTo(AdmissionPolicy.DEFAULT_OVERLOAD_RETRY_AFTER.toMillis());
            assertThat(o.messageId()).isNull();
            assertThat(o.duplicate()).isFalse();
        });
        assertThat(disk.pendingAppends()).as("nothing handed to the queues").isEqualTo(1);

        disk.completeNext();
        assertThat(reasons(answered(first))).containsExactly(Reason.ACCEPTED, Reason.ACCEPTED);
        assertThat(slowDisk.pendingAppends()).isZero();

        CompletableFuture<List<Outcome>> retry = slowDisk.admit(bank, List.of(alert("m-3", ALICE)));
        disk.completeNext();
        assertThat(answered(retry)).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo(Reason.ACCEPTED);
            assertThat(o.duplicate()).isFalse();
        });
        assertThat(queued(disk, ALICE)).extracting(QueuedMessage::clientMessageId).containsExactly("m-1", "m-3");
    }

    @Test
    void retryWhileTheFirstIsStillBeingAppendedGetsTheSameAnswer() {
        ManualDeliveryQueues disk = new ManualDeliveryQueues();
        AdmissionPipeline slowDisk = pipeline(AdmissionPolicy.DEFAULTS, disk, Runnable::run);
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        CompletableFuture<List<Outcome>> first = slowDisk.admit(bank, List.of(alert("m-1", ALICE)));
        CompletableFuture<List<Outcome>> retry = slowDisk.admit(bank, List.of(alert("m-1", ALICE)));
        assertThat(retry).isNotDone();
        assertThat(disk.pendingAppends()).as("the retry appended nothing").isEqualTo(1);

        disk.completeNext();

        Outcome original = answered(first).get(0);
        Outcome repeated = answered(retry).get(0);
        assertThat(repeated.duplicate()).isTrue();
        assertThat(repeated.messageId()).isEqualTo(original.messageId());
        assertThat(queued(disk, ALICE)).hasSize(1);
    }

    @Test
    void failedAppendIsOverloadedAndTheRetryIsAdmittedAfresh() {
        ManualDeliveryQueues disk = new ManualDeliveryQueues();
        AdmissionPipeline failingDisk = pipeline(AdmissionPolicy.DEFAULTS, disk, Runnable::run);
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        CompletableFuture<List<Outcome>> first = failingDisk.admit(bank, List.of(alert("m-1", ALICE)));
        disk.failNext();

        assertThat(answered(first)).singleElement().extracting(Outcome::reason).isEqualTo(Reason.OVERLOADED);
        assertThat(failingDisk.pendingAppends()).isZero();

        CompletableFuture<List<Outcome>> retry = failingDisk.admit(bank, List.of(alert("m-1", ALICE)));
        disk.completeNext();
        assertThat(answered(retry)).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo(Reason.ACCEPTED);
            assertThat(o.duplicate()).isFalse();
        });
        assertThat(queued(disk, ALICE)).hasSize(1);
    }

    @Test
    void anOverloadedOfferIsNotCountedSoItsRetryIsNeitherDuplicateContentNorCapped() {
        ManualDeliveryQueues disk = new ManualDeliveryQueues();
        AdmissionPipeline failingDisk = pipeline(AdmissionPolicy.DEFAULTS, disk, Runnable::run);
        optIn(ALICE, bank, ConsentClass.MARKETING);

        CompletableFuture<List<Outcome>> first = failingDisk.admit(bank,
                List.of(offer("o-1", ALICE, "Spring sale: 20% off"), offer("o-2", ALICE, "Summer sale: 30% off")));
        disk.failNext();
        assertThat(reasons(answered(first))).containsExactly(Reason.OVERLOADED, Reason.OVERLOADED);

        CompletableFuture<List<Outcome>> retry = failingDisk.admit(bank,
                List.of(offer("o-1", ALICE, "Spring sale: 20% off"), offer("o-2", ALICE, "Summer sale: 30% off")));
        disk.completeNext();
        assertThat(reasons(answered(retry))).containsExactly(Reason.ACCEPTED, Reason.ACCEPTED);
    }

    @Test
    void anOverloadedFirstContactDoesNotTakeARecipientSlotOfTheTier() {
        ManualDeliveryQueues disk = new ManualDeliveryQueues();
        AdmissionPipeline failingDisk = pipeline(AdmissionPolicy.DEFAULTS, disk, Runnable::run);
        Business tiny = business("tiny-bank", 100, new Tier(1), Quality.GREEN);
        optIn(ALICE, tiny, ConsentClass.TRANSACTIONAL);
        optIn(BOB, tiny, ConsentClass.TRANSACTIONAL);

        CompletableFuture<List<Outcome>> toAlice = failingDisk.admit(tiny, List.of(alert("t-1", ALICE)));
        disk.failNext();
        assertThat(reasons(answered(toAlice))).containsExactly(Reason.OVERLOADED);

        CompletableFuture<List<Outcome>> toBob = failingDisk.admit(tiny, List.of(alert("t-2", BOB)));
        disk.completeNext();
        assertThat(reasons(answered(toBob))).containsExactly(Reason.ACCEPTED);
    }

    @Test
    void aMessageDeclaredMarketingStaysMarketingThoughItsTemplateIsTransactional() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        Outcome outcome = admitOne(bank, Submission.template("t-mkt", ALICE, Category.MARKETING, "balance",
                List.of("our spring collection", "in stores")));

        assertThat(outcome.reason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(outcome.category()).isEqualTo(Category.MARKETING);
    }

    @Test
    void appendThatThrowsIsOverloaded() {
        DeliveryLog broken = messages -> {
            throw new IllegalStateException("store closed");
        };
        AdmissionPipeline brokenStore = pipeline(AdmissionPolicy.DEFAULTS, broken, Runnable::run);
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        List<Outcome> outcomes = answered(brokenStore.admit(bank, List.of(alert("m-1", ALICE))));

        assertThat(reasons(outcomes)).containsExactly(Reason.OVERLOADED);
        assertThat(brokenStore.pendingAppends()).isZero();
    }

    @Test
    void rejectingExecutorAnswersTheWholeSubmissionOverloaded() {
        AtomicBoolean saturated = new AtomicBoolean(true);
        Executor executor = task -> {
            if (saturated.get()) {
                throw new RejectedExecutionException("admission threads are busy");
            }
            task.run();
        };
        AdmissionPipeline busy = pipeline(AdmissionPolicy.DEFAULTS, queues, executor);
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        List<Outcome> outcomes = answered(busy.admit(bank, List.of(alert("m-1", ALICE), alert("m-2", ALICE))));

        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.reason()).isEqualTo(Reason.OVERLOADED);
            assertThat(o.retryAfterMillis()).isEqualTo(AdmissionPolicy.DEFAULT_OVERLOAD_RETRY_AFTER.toMillis());
        });
        assertThat(outcomes).extracting(Outcome::clientMessageId).containsExactly("m-1", "m-2");
        assertThat(queued(ALICE)).isEmpty();

        saturated.set(false);
        List<Outcome> retry = answered(busy.admit(bank, List.of(alert("m-1", ALICE))));
        assertThat(retry).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo(Reason.ACCEPTED);
            assertThat(o.duplicate()).isFalse();
        });
    }

    // ---------------------------------------------------------------- batches

    @Test
    void batchWithMixedOutcomesAnswersEachMessageInOrder() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        List<Outcome> outcomes = admit(bank,
                alert("ok", ALICE),
                alert("bad-number", "+1202"),
                alert("no-consent", BOB),
                text("spam", ALICE, Category.TRANSACTIONAL, "You have won the jackpot"),
                Submission.template("no-template", ALICE, Category.TRANSACTIONAL, "missing", List.of()),
                alert("", ALICE),
                text("code", ALICE, Category.TRANSACTIONAL, "Your verification code is 482913"),
                alert("ok", ALICE));

        assertThat(outcomes).extracting(Outcome::clientMessageId)
                .containsExactly("ok", "bad-number", "no-consent", "spam", "no-template", "", "code", "ok");
        assertThat(reasons(outcomes)).containsExactly(Reason.ACCEPTED, Reason.INVALID_RECIPIENT, Reason.NOT_OPTED_IN,
                Reason.REJECTED_SPAM, Reason.UNKNOWN_TEMPLATE, Reason.INVALID_MESSAGE, Reason.ACCEPTED,
                Reason.ACCEPTED);
        assertThat(outcomes.get(6).category()).isEqualTo(Category.AUTHENTICATION);
        assertThat(outcomes.get(7).duplicate()).isTrue();
        assertThat(outcomes).extracting(Outcome::detail).allSatisfy(detail ->
                assertThat(detail).doesNotContain("2025550142").doesNotContain("2025550143"));
        assertThat(queued(ALICE)).extracting(QueuedMessage::clientMessageId).containsExactly("ok", "code");
    }

    @Test
    void listenerHearsEveryOutcomeAndTheSubmission() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        List<Outcome> outcomes = admit(bank, alert("m-1", ALICE), alert("m-2", BOB));

        assertThat(reported).containsExactlyElementsOf(outcomes);
        assertThat(reportedSubmissions).containsExactly(2);
    }

    @Test
    void emptySubmissionIsAnsweredWithNoOutcomes() {
        assertThat(answered(pipeline.admit(bank, List.of()))).isEmpty();
    }

    // ---------------------------------------------------------------- anti-spam

    @Test
    void businessOverItsTierIsRefusedNewRecipients() {
        Business small = business("small-bank", 100, new Tier(2), Quality.GREEN);
        for (String person : List.of(ALICE, BOB, CAROL)) {
            optIn(person, small, ConsentClass.TRANSACTIONAL);
        }

        List<Outcome> outcomes = admit(small, alert("m-1", ALICE), alert("m-2", BOB), alert("m-3", CAROL),
                alert("m-4", ALICE));

        assertThat(reasons(outcomes)).containsExactly(Reason.ACCEPTED, Reason.ACCEPTED, Reason.TIER_LIMIT_REACHED,
                Reason.ACCEPTED);
        assertThat(queued(CAROL)).isEmpty();

        // A contact is kept to the end of its minute: the window frees it up to a minute later.
        clock.advance(Duration.ofHours(24));
        clock.advance(AntiSpamLimits.CONTACT_GRANULE);
        assertThat(admitOne(small, alert("m-5", CAROL)).reason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void recipientWithoutConsentTakesNoPlaceInTheTier() {
        Business small = business("small-bank", 100, new Tier(1), Quality.GREEN);
        optIn(BOB, small, ConsentClass.TRANSACTIONAL);

        assertThat(reasons(admit(small, alert("m-1", ALICE), alert("m-2", BOB))))
                .containsExactly(Reason.NOT_OPTED_IN, Reason.ACCEPTED);
    }

    @Test
    void thirdOfferOfTheDayFromOneBusinessIsFrequencyCapped() {
        optIn(ALICE, bank, ConsentClass.MARKETING);

        List<Outcome> outcomes = admit(bank, offer("m-1", ALICE, "Spring sale"), offer("m-2", ALICE, "Summer sale"),
                offer("m-3", ALICE, "Autumn sale"));

        assertThat(reasons(outcomes)).containsExactly(Reason.ACCEPTED, Reason.ACCEPTED, Reason.FREQUENCY_CAPPED);
        assertThat(outcomes.get(2).category()).isEqualTo(Category.MARKETING);
        assertThat(queued(ALICE)).hasSize(2);
    }

    @Test
    void sixthOfferOfTheDayFromAnyBusinessIsFrequencyCapped() {
        List<Business> shops = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            Business s = business("shop-" + n, 100, Tier.UNLIMITED, Quality.GREEN);
            optIn(DAVE, s, ConsentClass.MARKETING);
            shops.add(s);
        }

        List<Reason> reasons = new ArrayList<>();
        for (Business s : shops) {
            reasons.add(admitOne(s, offer("m-1", DAVE, "Deals from " + s.id())).reason());
        }

        assertThat(reasons).containsExactly(Reason.ACCEPTED, Reason.ACCEPTED, Reason.ACCEPTED, Reason.ACCEPTED,
                Reason.ACCEPTED, Reason.FREQUENCY_CAPPED);
    }

    @Test
    void sameOfferTextTwiceInADayIsDuplicateContent() {
        optIn(ALICE, bank, ConsentClass.MARKETING);

        List<Outcome> outcomes = admit(bank, offer("m-1", ALICE, OFFER), offer("m-2", ALICE, OFFER));

        assertThat(reasons(outcomes)).containsExactly(Reason.ACCEPTED, Reason.DUPLICATE_CONTENT);
        assertThat(outcomes.get(1).duplicate()).as("not an idempotent repeat").isFalse();

        clock.advance(Duration.ofHours(24));
        assertThat(admitOne(bank, offer("m-3", ALICE, OFFER)).reason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void sameAlertTextIsNotDuplicateContent() {
        optIn(ALICE, bank, ConsentClass.TRANSACTIONAL);

        assertThat(reasons(admit(bank, alert("m-1", ALICE), alert("m-2", ALICE), alert("m-3", ALICE))))
                .containsOnly(Reason.ACCEPTED);
    }

    @Test
    void redBusinessHasItsMarketingPausedButAlertsStillGo() {
        Business red = business("red-shop", 100, Tier.UNLIMITED, Quality.RED);
        optIn(ALICE, red, ConsentClass.TRANSACTIONAL, ConsentClass.MARKETING);

        List<Outcome> outcomes = admit(red, offer("m-1", ALICE, OFFER), alert("m-2", ALICE),
                text("m-3", ALICE, Category.TRANSACTIONAL, "Only today: 50% off"));

        assertThat(reasons(outcomes)).containsExactly(Reason.BUSINESS_PAUSED, Reason.ACCEPTED,
                Reason.BUSINESS_PAUSED);
        assertThat(outcomes.get(2).reclassified()).isTrue();
    }

    @Test
    void consentIsCheckedBeforeAntiSpamLimits() {
        Business red = business("red-shop", 100, Tier.UNLIMITED, Quality.RED);

        assertThat(admitOne(red, offer("m-1", ALICE, OFFER)).reason()).isEqualTo(Reason.NOT_OPTED_IN);
    }

    // ---------------------------------------------------------------- overload at the admission pool

    @Test
    void aFloodWhileThePoolIsBehindIsOverloadedAtOnceAndTheQueueStaysBounded() throws Exception {
        Business busy = business("busy-bank", 1_000_000, Tier.UNLIMITED, Quality.GREEN);
        optIn(ALICE, busy, ConsentClass.TRANSACTIONAL);
        // One admission thread, held busy by the test, and a queue far larger than the wait allows.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(100_000), new ThreadPoolExecutor.AbortPolicy());
        CountDownLatch busyThread = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                busyThread.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicLong nanos = new AtomicLong();
        AdmissionQueue door = new AdmissionQueue(pool, Duration.ofMillis(50), 100, nanos::get);
        AdmissionPipeline flooded = pipeline(AdmissionPolicy.DEFAULTS, queues, door);
        try {
            List<CompletableFuture<List<Outcome>>> waiting = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                waiting.add(flooded.admit(busy, List.of(alert("waits-" + i, ALICE))));
                nanos.addAndGet(100_000); // 0.1 ms apart
            }
            // The first of them has now waited longer than the pool allows.
            nanos.addAndGet(Duration.ofMillis(45).toNanos());

            List<Outcome> refused = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                refused.addAll(answered(flooded.admit(busy, List.of(alert("flood-" + i, ALICE)))));
            }

            assertThat(refused).hasSize(10_000).allSatisfy(o -> {
                assertThat(o.reason()).isEqualTo(Reason.OVERLOADED);
                assertThat(o.retryAfterMillis()).isEqualTo(AdmissionPolicy.DEFAULT_OVERLOAD_RETRY_AFTER.toMillis());
                assertThat(o.messageId()).isNull();
            });
            assertThat(door.queued()).as("the flood queued nothing").isEqualTo(100);
            assertThat(door.oldestWait()).isGreaterThan(Duration.ofMillis(50));
            assertThat(waiting).allSatisfy(w -> assertThat(w).isNotDone());

            busyThread.countDown();
            for (CompletableFuture<List<Outcome>> w : waiting) {
                assertThat(w.get(10, TimeUnit.SECONDS)).singleElement().extracting(Outcome::reason)
                        .isEqualTo(Reason.ACCEPTED);
            }
            assertThat(door.queued()).isZero();
            assertThat(flooded.admit(busy, List.of(alert("flood-0", ALICE))).get(10, TimeUnit.SECONDS))
                    .as("a refused message's retry is admitted afresh once the queue has drained")
                    .singleElement().satisfies(o -> {
                        assertThat(o.reason()).isEqualTo(Reason.ACCEPTED);
                        assertThat(o.duplicate()).isFalse();
                    });
        } finally {
            busyThread.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void fewerWaitingMessagesThanTheBacklogAreNeverRefusedHoweverLongTheyWait() throws Exception {
        Business busy = business("busy-bank", 1_000_000, Tier.UNLIMITED, Quality.GREEN);
        optIn(ALICE, busy, ConsentClass.TRANSACTIONAL);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1_000), new ThreadPoolExecutor.AbortPolicy());
        CountDownLatch busyThread = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                busyThread.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicLong nanos = new AtomicLong();
        AdmissionPipeline paused = pipeline(AdmissionPolicy.DEFAULTS, queues,
                new AdmissionQueue(pool, Duration.ofMillis(50), 1_000, nanos::get));
        try {
            List<CompletableFuture<List<Outcome>>> waiting = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                waiting.add(paused.admit(busy, List.of(alert("paused-" + i, ALICE))));
                nanos.addAndGet(Duration.ofSeconds(1).toNanos());
            }

            busyThread.countDown();
            for (CompletableFuture<List<Outcome>> w : waiting) {
                assertThat(w.get(10, TimeUnit.SECONDS)).singleElement().extracting(Outcome::reason)
                        .isEqualTo(Reason.ACCEPTED);
            }
        } finally {
            busyThread.countDown();
            pool.shutdownNow();
        }
    }
}
