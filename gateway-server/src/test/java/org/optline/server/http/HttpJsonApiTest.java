package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;
import static org.optline.server.testing.TestBusinesses.RED;
import static org.optline.server.testing.TestBusinesses.RED_KEY;
import static org.optline.server.testing.TestBusinesses.SHOP;
import static org.optline.server.testing.TestBusinesses.SHOP_KEY;
import static org.optline.server.testing.TestBusinesses.TRICKLE;
import static org.optline.server.testing.TestBusinesses.TRICKLE_KEY;
import static org.optline.server.testing.TestHttp.message;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.BusinessConsent;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.MessageStatus;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.RecipientConsents;
import org.optline.proto.v1.SubmitMessagesResponse;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * The HTTP API with JSON bodies, end to end: every admission outcome of SPEC section 3 as a
 * sender sees it, the consent API as the platform uses it, and the status codes of the errors.
 * Each test uses recipients of its own, so the tests share one gateway and never meet.
 */
class HttpJsonApiTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private static final String MESSAGES = "/v1/messages";
    private static final String CONSENTS = "/v1/consents";
    private static final String ALERT = "Your card ending 4242 was charged 12.50 EUR at Cafe Nord.";
    private static final AtomicInteger IDS = new AtomicInteger();

    @Test
    void optedInRecipientGetsTheMessageAcceptedWithAMessageId() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        String id = clientId();

        HttpResponse<String> response = submit(BANK_KEY, message(id, recipient, "TRANSACTIONAL", ALERT));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        MessageResult result = ApiJson.result(response);
        assertThat(result.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(result.getClientMessageId()).isEqualTo(id);
        assertThat(result.getMessageId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(result.getCategory()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(result.getReclassified()).isFalse();
        assertThat(result.getDuplicate()).isFalse();
        assertNoNumberIn(response, recipient);
    }

    @Test
    void recipientWithoutConsentIsNotOptedIn() {
        String recipient = Recipients.next();

        HttpResponse<String> response = submit(BANK_KEY, message(clientId(), recipient, "TRANSACTIONAL", ALERT));

        assertThat(response.statusCode()).isEqualTo(200);
        MessageResult result = ApiJson.result(response);
        assertThat(result.getReason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(result.getMessageId()).isEmpty();
        assertThat(result.getDetail()).isNotEmpty();
        assertNoNumberIn(response, recipient);
    }

    @Test
    void offerDeclaredTransactionalIsReclassifiedAsMarketingAndRefusedUnderTransactionalConsentOnly() {
        String recipient = optedIn(SHOP, "TRANSACTIONAL_CLASS");

        MessageResult result = ApiJson.result(
                submit(SHOP_KEY, message(clientId(), recipient, "TRANSACTIONAL", "Special offer: 20% off")));

        assertThat(result.getReason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(result.getCategory()).isEqualTo(Category.MARKETING);
        assertThat(result.getReclassified()).isTrue();
    }

    @Test
    void offerDeclaredTransactionalIsAcceptedAsMarketingUnderMarketingConsent() {
        String recipient = optedIn(SHOP, "MARKETING_CLASS");

        MessageResult result = ApiJson.result(
                submit(SHOP_KEY, message(clientId(), recipient, "TRANSACTIONAL", "Special offer: 20% off")));

        assertThat(result.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(result.getCategory()).isEqualTo(Category.MARKETING);
        assertThat(result.getReclassified()).isTrue();
        assertThat(result.getMessageId()).isNotEmpty();
    }

    @Test
    void oneTimeCodeIsAuthenticationAndPassesUnderTransactionalConsent() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");

        MessageResult result = ApiJson.result(submit(BANK_KEY,
                message(clientId(), recipient, "TRANSACTIONAL", "Your verification code is 482913")));

        assertThat(result.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(result.getCategory()).isEqualTo(Category.AUTHENTICATION);
    }

    @Test
    void lotteryScamWithAShortenedLinkIsRejectedAsSpam() {
        String recipient = optedIn(SHOP, "TRANSACTIONAL_CLASS", "MARKETING_CLASS");

        HttpResponse<String> response = submit(SHOP_KEY, message(clientId(), recipient, "TRANSACTIONAL",
                "You have won the lottery, claim your prize at bit.ly/x"));

        assertThat(response.statusCode()).isEqualTo(200);
        MessageResult result = ApiJson.result(response);
        assertThat(result.getReason()).isEqualTo(Reason.REJECTED_SPAM);
        assertThat(result.getMessageId()).isEmpty();
        assertNoNumberIn(response, recipient);
    }

    @Test
    void optOutRefusesTheNextMessageOfThatClass() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        http().consent(recipient, BANK, "OPT_OUT", "TRANSACTIONAL_CLASS");

        MessageResult result = ApiJson.result(submit(BANK_KEY, message(clientId(), recipient, "TRANSACTIONAL", ALERT)));

        assertThat(result.getReason()).isEqualTo(Reason.OPTED_OUT);
    }

    @Test
    void blockRefusesEveryClassFromThatBusiness() {
        String recipient = optedIn(SHOP, "TRANSACTIONAL_CLASS", "MARKETING_CLASS");
        http().consent(recipient, SHOP, "BLOCK", null);

        MessageResult alert = ApiJson.result(submit(SHOP_KEY,
                message(clientId(), recipient, "TRANSACTIONAL", "Your order 5521 has shipped.")));
        MessageResult offer = ApiJson.result(submit(SHOP_KEY,
                message(clientId(), recipient, "MARKETING", "Our autumn collection is here.")));

        assertThat(alert.getReason()).isEqualTo(Reason.BLOCKED);
        assertThat(offer.getReason()).isEqualTo(Reason.BLOCKED);
    }

    @Test
    void marketingOffEverywhereRefusesOffersButKeepsAlerts() {
        String recipient = optedIn(SHOP, "TRANSACTIONAL_CLASS", "MARKETING_CLASS");
        http().consent(recipient, SHOP, "MARKETING_OFF", null);

        MessageResult offer = ApiJson.result(submit(SHOP_KEY,
                message(clientId(), recipient, "MARKETING", "Our winter collection is here.")));
        MessageResult alert = ApiJson.result(submit(SHOP_KEY,
                message(clientId(), recipient, "TRANSACTIONAL", "Your order 7730 has shipped.")));

        assertThat(offer.getReason()).isEqualTo(Reason.OPTED_OUT);
        assertThat(alert.getReason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void numberThatIsNotAValidPhoneNumberIsInvalidRecipient() {
        String notANumber = "+44791110000012345";

        HttpResponse<String> response = submit(BANK_KEY, message(clientId(), notANumber, "TRANSACTIONAL", ALERT));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ApiJson.result(response).getReason()).isEqualTo(Reason.INVALID_RECIPIENT);
        assertNoNumberIn(response, notANumber);
    }

    @Test
    void messageWithoutClientMessageIdIsInvalidMessage() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");

        MessageResult result = ApiJson.result(submit(BANK_KEY, "{\"recipient\":\"" + recipient
                + "\",\"declaredCategory\":\"TRANSACTIONAL\",\"text\":\"" + ALERT + "\"}"));

        assertThat(result.getReason()).isEqualTo(Reason.INVALID_MESSAGE);
        assertThat(result.getDetail()).contains("client_message_id");
    }

    @Test
    void unregisteredTemplateNameIsUnknownTemplate() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");

        MessageResult result = ApiJson.result(submit(BANK_KEY,
                templateMessage(clientId(), recipient, "no_such_template", "1")));

        assertThat(result.getReason()).isEqualTo(Reason.UNKNOWN_TEMPLATE);
    }

    @Test
    void templateWithTheWrongNumberOfParametersIsUnknownTemplate() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");

        MessageResult result = ApiJson.result(submit(BANK_KEY,
                templateMessage(clientId(), recipient, "balance_alert", "EUR 1 204.10")));

        assertThat(result.getReason()).isEqualTo(Reason.UNKNOWN_TEMPLATE);
        assertThat(result.getDetail()).contains("2");
    }

    @Test
    void templateMessageWithItsParametersIsAcceptedInTheTemplatesCategory() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");

        MessageResult result = ApiJson.result(submit(BANK_KEY,
                templateMessage(clientId(), recipient, "balance_alert", "EUR 1 204.10", "2 March")));

        assertThat(result.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(result.getCategory()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(result.getMessageId()).isNotEmpty();
    }

    @Test
    void repeatedClientMessageIdReturnsTheFirstOutcomeMarkedDuplicate() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        String body = message(clientId(), recipient, "TRANSACTIONAL", ALERT);

        MessageResult first = ApiJson.result(submit(BANK_KEY, body));
        MessageResult retry = ApiJson.result(submit(BANK_KEY, body));

        assertThat(first.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(first.getDuplicate()).isFalse();
        assertThat(retry.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(retry.getDuplicate()).isTrue();
        assertThat(retry.getMessageId()).isEqualTo(first.getMessageId());
    }

    @Test
    void batchIsAnsweredPerMessageInOrderAndNeverFailsAsAWhole() {
        String optedIn = optedIn(BANK, "TRANSACTIONAL_CLASS");
        String stranger = Recipients.next();
        String[] ids = {clientId(), clientId(), clientId(), clientId()};
        String batch = "{\"messages\":["
                + message(ids[0], optedIn, "TRANSACTIONAL", ALERT) + ","
                + message(ids[1], stranger, "TRANSACTIONAL", ALERT) + ","
                + message(ids[2], "not-a-number", "TRANSACTIONAL", ALERT) + ","
                + message(ids[3], optedIn, "TRANSACTIONAL", "Your statement for February is ready.") + "]}";

        HttpResponse<String> response = submit(BANK_KEY, batch);

        assertThat(response.statusCode()).isEqualTo(200);
        SubmitMessagesResponse answer = ApiJson.results(response);
        assertThat(answer.getResultsList()).extracting(MessageResult::getClientMessageId).containsExactly(ids);
        assertThat(answer.getResultsList()).extracting(MessageResult::getReason).containsExactly(
                Reason.ACCEPTED, Reason.NOT_OPTED_IN, Reason.INVALID_RECIPIENT, Reason.ACCEPTED);
        assertThat(answer.getResults(0).getMessageId()).isNotEqualTo(answer.getResults(3).getMessageId());
        assertNoNumberIn(response, optedIn, stranger);
    }

    @Test
    void throughputLimitRefusesBeyondTheBucketWith429AndRetryAfterUntilTimeMoves() {
        // A full bucket whatever ran before: it holds one second's worth (two messages).
        gateway.clock().advance(Duration.ofSeconds(1));
        List<String> recipients = List.of(optedIn(TRICKLE, "TRANSACTIONAL_CLASS"),
                optedIn(TRICKLE, "TRANSACTIONAL_CLASS"), optedIn(TRICKLE, "TRANSACTIONAL_CLASS"));
        String batch = recipients.stream().map(r -> message(clientId(), r, "TRANSACTIONAL", ALERT))
                .collect(Collectors.joining(",", "{\"messages\":[", "]}"));

        HttpResponse<String> batchResponse = submit(TRICKLE_KEY, batch);

        assertThat(batchResponse.statusCode()).isEqualTo(200);
        List<MessageResult> results = ApiJson.results(batchResponse).getResultsList();
        assertThat(results).extracting(MessageResult::getReason)
                .containsExactly(Reason.ACCEPTED, Reason.ACCEPTED, Reason.RATE_LIMITED);
        assertThat(results.get(2).getRetryAfterMs()).isPositive();

        String single = message(clientId(), recipients.get(0), "TRANSACTIONAL", "Your statement is ready.");
        HttpResponse<String> limited = submit(TRICKLE_KEY, single);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        MessageResult refused = ApiJson.result(limited);
        assertThat(refused.getReason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(refused.getRetryAfterMs()).isPositive();

        gateway.clock().advance(Duration.ofSeconds(1));
        HttpResponse<String> retried = submit(TRICKLE_KEY, single);

        assertThat(retried.statusCode()).isEqualTo(200);
        MessageResult accepted = ApiJson.result(retried);
        assertThat(accepted.getReason()).isEqualTo(Reason.ACCEPTED);
        // The refusal queued nothing and claimed nothing: the retry is a first submission.
        assertThat(accepted.getDuplicate()).isFalse();
    }

    @Test
    void redBusinessHasItsMarketingPausedButItsAlertsPass() {
        String recipient = optedIn(RED, "TRANSACTIONAL_CLASS", "MARKETING_CLASS");

        MessageResult offer = ApiJson.result(submit(RED_KEY,
                message(clientId(), recipient, "MARKETING", "Three new flavours in store this week.")));
        MessageResult alert = ApiJson.result(submit(RED_KEY,
                message(clientId(), recipient, "TRANSACTIONAL", "Your order 1182 is ready for pickup.")));

        assertThat(offer.getReason()).isEqualTo(Reason.BUSINESS_PAUSED);
        assertThat(offer.getCategory()).isEqualTo(Category.MARKETING);
        assertThat(alert.getReason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void thirdMarketingMessageFromOneBusinessWithinADayIsFrequencyCapped() {
        String recipient = optedIn(SHOP, "MARKETING_CLASS");

        List<Reason> reasons = List.of("New arrivals in the garden section.", "Our cafe now opens at 7.",
                        "Members evening on Thursday.").stream()
                .map(text -> ApiJson.result(submit(SHOP_KEY, message(clientId(), recipient, "MARKETING", text)))
                        .getReason())
                .toList();

        assertThat(reasons).containsExactly(Reason.ACCEPTED, Reason.ACCEPTED, Reason.FREQUENCY_CAPPED);
    }

    @Test
    void sameMarketingTextToTheSameRecipientTwiceIsDuplicateContent() {
        String recipient = optedIn(SHOP, "MARKETING_CLASS");
        String text = "The spring catalogue is out.";

        MessageResult first = ApiJson.result(submit(SHOP_KEY, message(clientId(), recipient, "MARKETING", text)));
        MessageResult second = ApiJson.result(submit(SHOP_KEY, message(clientId(), recipient, "MARKETING", text)));

        assertThat(first.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(second.getReason()).isEqualTo(Reason.DUPLICATE_CONTENT);
    }

    @Test
    void ownAcceptedMessageIsQueuedWithTheRecipientMasked() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        String clientId = clientId();
        String messageId = ApiJson.result(submit(BANK_KEY, message(clientId, recipient, "TRANSACTIONAL", ALERT)))
                .getMessageId();

        HttpResponse<String> response = http().get(MESSAGES + "/" + messageId, BANK_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        MessageStatus status = ApiJson.parse(response.body(), MessageStatus.newBuilder()).build();
        assertThat(status.getMessageId()).isEqualTo(messageId);
        assertThat(status.getClientMessageId()).isEqualTo(clientId);
        assertThat(status.getState()).isEqualTo(MessageStatus.State.QUEUED);
        assertThat(status.getCategory()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(status.getAcceptedAt()).isEqualTo(gateway.clock().instant().toString());
        assertThat(status.getRecipientMasked()).isEqualTo(PhoneNumber.parse(recipient).orElseThrow().masked());
        assertNoNumberIn(response, recipient);
    }

    @Test
    void anotherBusinesssMessageIsAnsweredExactlyLikeAMissingOne() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        String messageId = ApiJson.result(submit(BANK_KEY, message(clientId(), recipient, "TRANSACTIONAL", ALERT)))
                .getMessageId();

        HttpResponse<String> foreign = http().get(MESSAGES + "/" + messageId, SHOP_KEY);
        HttpResponse<String> unknown = http().get(MESSAGES + "/0195a1b2-0000-7000-8000-000000000000", BANK_KEY);

        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ApiJson.error(foreign).getReason()).isEqualTo("NOT_FOUND");
        assertThat(foreign.body()).isEqualTo(unknown.body());
        assertNoNumberIn(foreign, recipient);
    }

    @Test
    void platformReadsARecipientsConsentsWithThePlusPercentEncoded() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        http().optIn(recipient, SHOP, "MARKETING_CLASS");

        HttpResponse<String> response = http().get(CONSENTS + "/%2B" + recipient.substring(1), PLATFORM_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        RecipientConsents consents = ApiJson.parse(response.body(), RecipientConsents.newBuilder()).build();
        assertThat(consents.getRecipient()).isEqualTo(recipient);
        assertThat(consents.getMarketingOffEverywhere()).isFalse();
        assertThat(consents.getBusinessesList()).containsExactlyInAnyOrder(
                BusinessConsent.newBuilder().setBusinessId(BANK)
                        .setTransactional(BusinessConsent.State.OPTED_IN).build(),
                BusinessConsent.newBuilder().setBusinessId(SHOP)
                        .setMarketing(BusinessConsent.State.OPTED_IN).build());
    }

    @Test
    void platformReadsARecipientsConsentsWithALiteralPlus() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        http().consent(recipient, BANK, "BLOCK", null);
        http().consent(recipient, BANK, "MARKETING_OFF", null);

        HttpResponse<String> response = http().get(CONSENTS + "/" + recipient, PLATFORM_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        RecipientConsents consents = ApiJson.parse(response.body(), RecipientConsents.newBuilder()).build();
        assertThat(consents.getRecipient()).isEqualTo(recipient);
        assertThat(consents.getMarketingOffEverywhere()).isTrue();
        assertThat(consents.getBusinessesList()).containsExactly(BusinessConsent.newBuilder().setBusinessId(BANK)
                .setTransactional(BusinessConsent.State.OPTED_IN).setBlocked(true).build());
    }

    @Test
    void consentEndpointsRefuseABusinessKeyWith403() {
        String recipient = Recipients.next();
        String change = consentChange(recipient, BANK, "OPT_IN", "MARKETING_CLASS");

        HttpResponse<String> put = http().putJson(CONSENTS, BANK_KEY, change);
        HttpResponse<String> get = http().get(CONSENTS + "/" + recipient, BANK_KEY);

        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(get.statusCode()).isEqualTo(403);
        assertThat(ApiJson.error(put).getReason()).isEqualTo("FORBIDDEN");
        assertThat(ApiJson.error(get).getReason()).isEqualTo("FORBIDDEN");
        // Refused means not recorded: the bank still may not send offers.
        assertThat(ApiJson.result(submit(BANK_KEY, message(clientId(), recipient, "MARKETING", "Save on mortgages.")))
                .getReason()).isEqualTo(Reason.NOT_OPTED_IN);
    }

    @Test
    void consentEndpointsRefuseAMissingOrWrongKeyWith401() {
        String recipient = Recipients.next();
        String change = consentChange(recipient, BANK, "OPT_IN", "TRANSACTIONAL_CLASS");

        List<HttpResponse<String>> responses = List.of(
                http().putJson(CONSENTS, null, change),
                http().putJson(CONSENTS, "olp_not_the_platform_key", change),
                http().get(CONSENTS + "/" + recipient, null),
                http().get(CONSENTS + "/" + recipient, "olp_not_the_platform_key"));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(ApiJson.error(response).getReason()).isEqualTo("UNAUTHENTICATED");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertNoNumberIn(response, recipient);
        });
    }

    @Test
    void consentChangeForAnUnknownBusinessIsNotFound() {
        HttpResponse<String> response = http().putJson(CONSENTS, PLATFORM_KEY,
                consentChange(Recipients.next(), "no-such-business", "OPT_IN", "TRANSACTIONAL_CLASS"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(ApiJson.error(response).getReason()).isEqualTo("UNKNOWN_BUSINESS");
    }

    @Test
    void optInWithoutAConsentClassIsInvalidBody() {
        HttpResponse<String> response = http().putJson(CONSENTS, PLATFORM_KEY,
                consentChange(Recipients.next(), BANK, "OPT_IN", null));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiJson.error(response).getReason()).isEqualTo("INVALID_BODY");
    }

    @Test
    void wrongBusinessKeyIsUnauthenticatedWithAWwwAuthenticateChallenge() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");

        HttpResponse<String> response = submit("olk_wrong_key", message(clientId(), recipient, "TRANSACTIONAL", ALERT));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(ApiJson.error(response).getReason()).isEqualTo("UNAUTHENTICATED");
        assertNoNumberIn(response, recipient);
    }

    @Test
    void platformKeyCannotSubmitMessages() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");

        HttpResponse<String> response = submit(PLATFORM_KEY, message(clientId(), recipient, "TRANSACTIONAL", ALERT));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(ApiJson.error(response).getReason()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void malformedJsonIsInvalidBody() {
        HttpResponse<String> response = submit(BANK_KEY, "{\"clientMessageId\": \"m-1\", \"recipient\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiJson.error(response).getReason()).isEqualTo("INVALID_BODY");
    }

    @Test
    void unknownFieldIsInvalidBodyRatherThanIgnored() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        String body = "{\"clientMessageId\":\"" + clientId() + "\",\"recipient\":\"" + recipient
                + "\",\"declaredCategory\":\"TRANSACTIONAL\",\"text\":\"" + ALERT + "\",\"priority\":\"HIGH\"}";

        HttpResponse<String> response = submit(BANK_KEY, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiJson.error(response).getReason()).isEqualTo("INVALID_BODY");
        assertNoNumberIn(response, recipient);
    }

    @Test
    void emptyBatchIsInvalidBody() {
        HttpResponse<String> response = submit(BANK_KEY, "{\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiJson.error(response).getReason()).isEqualTo("INVALID_BODY");
    }

    @Test
    void unsupportedContentTypeIs415() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        HttpRequest request = http().newRequest(MESSAGES, BANK_KEY)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(message(clientId(), recipient, "TRANSACTIONAL", ALERT)))
                .build();

        HttpResponse<String> response = TestHttp.send(request);

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(ApiJson.error(response).getReason()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void unknownPathIs404() {
        HttpResponse<String> response = http().get("/v1/nothing-here", BANK_KEY);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(ApiJson.error(response).getReason()).isEqualTo("NOT_FOUND");
    }

    @Test
    void wrongMethodIs405() {
        HttpResponse<String> getMessages = http().get(MESSAGES, BANK_KEY);
        HttpResponse<String> deleteConsents = TestHttp.send(http().newRequest(CONSENTS, PLATFORM_KEY)
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(getMessages.statusCode()).isEqualTo(405);
        assertThat(deleteConsents.statusCode()).isEqualTo(405);
        assertThat(ApiJson.error(getMessages).getReason()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(getMessages.headers().firstValue("Allow")).hasValue("POST");
        assertThat(deleteConsents.headers().firstValue("Allow")).hasValue("PUT");
    }

    @Test
    void batchOfMoreThanAThousandMessagesIs413() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        String batch = IntStream.range(0, 1001)
                .mapToObj(i -> message(clientId(), recipient, "TRANSACTIONAL", ALERT))
                .collect(Collectors.joining(",", "{\"messages\":[", "]}"));

        HttpResponse<String> response = submit(BANK_KEY, batch);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(ApiJson.error(response).getReason()).isEqualTo("BATCH_TOO_LARGE");
        assertNoNumberIn(response, recipient);
    }

    @Test
    void livenessAndReadinessAnswer200() {
        HttpResponse<String> live = http().get("/health/live", null);
        HttpResponse<String> ready = http().get("/health/ready", null);

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("UP");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("READY");
    }

    @Test
    void metricsArePrometheusTextWithOutcomesAndConsentCacheAndNoPhoneNumber() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        String stranger = Recipients.next();
        submit(BANK_KEY, message(clientId(), recipient, "TRANSACTIONAL", ALERT));
        submit(BANK_KEY, message(clientId(), stranger, "TRANSACTIONAL", ALERT));

        HttpResponse<String> response = http().get("/metrics", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        String text = response.body();
        assertThat(text).contains("# TYPE optline_admission_outcomes_total counter");
        assertThat(metricValue(text, "optline_admission_outcomes_total", "reason=\"ACCEPTED\"",
                "category=\"transactional\"")).isGreaterThanOrEqualTo(1);
        assertThat(metricValue(text, "optline_admission_outcomes_total", "reason=\"NOT_OPTED_IN\"",
                "category=\"transactional\"")).isGreaterThanOrEqualTo(1);
        // The consent stage read through the cache at least twice.
        assertThat(metricValue(text, "cache_gets_total", "cache=\"consent\"", "result=\"miss\"")
                + metricValue(text, "cache_gets_total", "cache=\"consent\"", "result=\"hit\""))
                .isGreaterThanOrEqualTo(2);
        // No number any test of this class used, in full or without its plus.
        assertThat(text).doesNotContain(recipient.substring(1), stranger.substring(1), "4479111");
    }

    @Test
    void errorBodiesNeverCarryTheRecipientNumber() {
        String recipient = Recipients.next();
        // A wrongly typed field whose value is the number: parsers like to quote what they reject.
        HttpResponse<String> badType = submit(BANK_KEY, "{\"clientMessageId\":\"" + clientId() + "\",\"recipient\":\""
                + recipient + "\",\"declaredCategory\":\"TRANSACTIONAL\",\"text\":\"hi\",\"ttlSeconds\":\""
                + recipient + "\"}");
        HttpResponse<String> badEnum = submit(BANK_KEY, "{\"clientMessageId\":\"" + clientId() + "\",\"recipient\":\""
                + recipient + "\",\"declaredCategory\":\"" + recipient + "\",\"text\":\"hi\"}");
        HttpResponse<String> badConsent = http().putJson(CONSENTS, PLATFORM_KEY,
                consentChange(recipient + "999", BANK, "OPT_IN", "TRANSACTIONAL_CLASS"));
        HttpResponse<String> badRead = http().get(CONSENTS + "/" + recipient + "999", PLATFORM_KEY);

        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(badEnum.statusCode()).isEqualTo(400);
        assertThat(badConsent.statusCode()).isEqualTo(400);
        assertThat(badRead.statusCode()).isEqualTo(400);
        assertThat(ApiJson.error(badConsent).getReason()).isEqualTo("INVALID_RECIPIENT");
        assertThat(ApiJson.error(badRead).getReason()).isEqualTo("INVALID_RECIPIENT");
        for (HttpResponse<String> response : List.of(badType, badEnum, badConsent, badRead)) {
            assertNoNumberIn(response, recipient);
        }
    }

    private static TestHttp http() {
        return gateway.http();
    }

    private static HttpResponse<String> submit(String key, String json) {
        return http().postJson(MESSAGES, key, json);
    }

    /** A fresh recipient who opted in to the given classes from the business. */
    private static String optedIn(String businessId, String... consentClasses) {
        String recipient = Recipients.next();
        for (String consentClass : consentClasses) {
            http().optIn(recipient, businessId, consentClass);
        }
        return recipient;
    }

    private static String clientId() {
        return "http-json-" + IDS.incrementAndGet();
    }

    private static String templateMessage(String clientId, String recipient, String template, String... parameters) {
        String params = List.of(parameters).stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(","));
        return "{\"clientMessageId\":\"" + clientId + "\",\"recipient\":\"" + recipient
                + "\",\"declaredCategory\":\"TRANSACTIONAL\",\"template\":{\"name\":\"" + template
                + "\",\"parameters\":[" + params + "]}}";
    }

    private static String consentChange(String recipient, String businessId, String action, String consentClass) {
        return "{\"recipient\":\"" + recipient + "\",\"businessId\":\"" + businessId + "\",\"action\":\"" + action
                + "\"" + (consentClass == null ? "" : ",\"consentClass\":\"" + consentClass + "\"") + "}";
    }

    /** The number must not appear, with or without its plus (so masked forms pass). */
    private static void assertNoNumberIn(HttpResponse<String> response, String... numbers) {
        for (String number : numbers) {
            assertThat(response.body()).doesNotContain(number.substring(1));
        }
    }

    /** The value of the one sample of a metric that carries every given label, 0 when there is none. */
    private static double metricValue(String scrape, String name, String... labels) {
        return scrape.lines()
                .filter(line -> line.startsWith(name + "{"))
                .filter(line -> List.of(labels).stream().allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
