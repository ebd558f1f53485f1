package org.optline.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.delivery.DeliveryApi.ids;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;
import static org.optline.server.testing.TestBusinesses.SHOP;
import static org.optline.server.testing.TestBusinesses.SHOP_KEY;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.MessageStatus;
import org.optline.proto.v1.QueuedMessage;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.RawHttp;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * A message's life end to end over loopback, on the gateway's fake clock: every state with its
 * time, statuses by message_id and client_message_id for the retention, time to live by category,
 * the hand-out order, leases, and the long-poll.
 */
class MessageLifeTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(config -> config.deliveryTick(Duration.ofDays(1)));

    private final TestHttp http = gateway.http();
    private final DeliveryApi api = new DeliveryApi(http);

    private String optedIn(String business) {
        String recipient = Recipients.next();
        http.optIn(recipient, business, "TRANSACTIONAL_CLASS");
        http.optIn(recipient, business, "MARKETING_CLASS");
        return recipient;
    }

    @Test
    void everyStateIsTimestampedAndReadableByMessageIdAndClientMessageId() {
        String recipient = optedIn(BANK);
        String delivered = api.accepted(BANK_KEY, "life-1-" + recipient, recipient, "TRANSACTIONAL", "Your card was charged 5 EUR");
        String failed = api.accepted(BANK_KEY, "life-2-" + recipient, recipient, "TRANSACTIONAL", "Your card was charged 6 EUR");
        Instant acceptedAt = gateway.clock().instant();

        MessageStatus queued = api.status(BANK_KEY, delivered);
        assertThat(queued.getState()).isEqualTo(MessageStatus.State.QUEUED);
        assertThat(queued.getAcceptedAt()).isEqualTo(acceptedAt.toString());
        assertThat(queued.getExpiresAt()).isEqualTo(acceptedAt.plus(Duration.ofHours(24)).toString());

        assertThat(api.pullIds(recipient, "")).containsExactly(delivered, failed);
        Instant deliveredAt = gateway.clock().advance(Duration.ofSeconds(3));
        assertThat(api.report(recipient, "ack", ids(delivered))).isEqualTo("{\"removed\":1}");
        MessageStatus ack = api.status(BANK_KEY, delivered);
        assertThat(ack.getState()).isEqualTo(MessageStatus.State.DELIVERED);
        assertThat(ack.getDeliveredAt()).isEqualTo(deliveredAt.toString());

        Instant readAt = gateway.clock().advance(Duration.ofSeconds(4));
        assertThat(api.report(recipient, "read", ids(delivered))).isEqualTo("{\"changed\":1}");
        MessageStatus read = api.statusByClientId(BANK_KEY, "life-1-" + recipient);
        assertThat(read.getMessageId()).isEqualTo(delivered);
        assertThat(read.getState()).isEqualTo(MessageStatus.State.READ);
        assertThat(read.getDeliveredAt()).isEqualTo(deliveredAt.toString());
        assertThat(read.getReadAt()).isEqualTo(readAt.toString());
        assertThat(read.getRecipientMasked()).isNotEmpty().isNotEqualTo(recipient);

        assertThat(api.report(recipient, "fail", "{\"messageIds\":[\"" + failed + "\"],\"reason\":\"app uninstalled\"}"))
                .isEqualTo("{\"changed\":1}");
        MessageStatus gaveUp = api.status(BANK_KEY, failed);
        assertThat(gaveUp.getState()).isEqualTo(MessageStatus.State.FAILED);
        assertThat(gaveUp.getFailureReason()).isEqualTo("app uninstalled");
        assertThat(gaveUp.getFailedAt()).isEqualTo(readAt.toString());

        // Idempotent: reporting again changes nothing.
        assertThat(api.report(recipient, "ack", ids(delivered, failed))).isEqualTo("{}");
        assertThat(api.report(recipient, "read", ids(delivered))).isEqualTo("{}");
        assertThat(api.status(BANK_KEY, delivered).getState()).isEqualTo(MessageStatus.State.READ);
        // Another business sees none of it.
        assertThat(http.get("/v1/messages/" + delivered, SHOP_KEY).statusCode()).isEqualTo(404);
        assertThat(http.get(DeliveryApi.byClientId("life-1-" + recipient), SHOP_KEY)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aRefusedMessageIsReadableByClientMessageIdWithItsReasonForTheIdempotencyWindow() {
        String stranger = Recipients.next();
        http.postJson("/v1/messages", BANK_KEY, TestHttp.message("refused-" + stranger, stranger, "TRANSACTIONAL",
                "Your balance is 3 EUR"));

        MessageStatus refused = api.statusByClientId(BANK_KEY, "refused-" + stranger);
        assertThat(refused.getState()).isEqualTo(MessageStatus.State.REFUSED);
        assertThat(refused.getReason().name()).isEqualTo("NOT_OPTED_IN");
        assertThat(refused.getMessageId()).isEmpty();
        assertThat(http.get(DeliveryApi.byClientId("refused-" + stranger), SHOP_KEY)
                .statusCode()).isEqualTo(404);

        gateway.clock().advance(Duration.ofHours(24).plusSeconds(1));
        assertThat(http.get(DeliveryApi.byClientId("refused-" + stranger), BANK_KEY)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void theStatusOfADeliveredMessageIsKeptForTheRetentionThenForgotten() {
        String recipient = optedIn(BANK);
        String id = api.accepted(BANK_KEY, "kept-" + recipient, recipient, "TRANSACTIONAL", "Your parcel is out");
        api.pull(recipient, "");
        api.report(recipient, "ack", ids(id));

        gateway.clock().advance(Duration.ofDays(7).minusSeconds(1));
        gateway.gateway().tick().join();
        assertThat(api.status(BANK_KEY, id).getState()).isEqualTo(MessageStatus.State.DELIVERED);

        gateway.clock().advance(Duration.ofSeconds(2));
        gateway.gateway().tick().join();
        assertThat(http.get("/v1/messages/" + id, BANK_KEY).statusCode()).isEqualTo(404);
        assertThat(http.get(DeliveryApi.byClientId("kept-" + recipient), BANK_KEY)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void eachCategoryHasItsDefaultTimeToLiveAndALongerOneIsCutToTheCategorysMaximum() {
        String recipient = optedIn(BANK);
        api.accepted(BANK_KEY, "ttl-code-" + recipient, recipient, "AUTHENTICATION", "Your code is 482913");
        api.accepted(BANK_KEY, "ttl-alert-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 3 EUR");
        api.accepted(BANK_KEY, "ttl-offer-" + recipient, recipient, "MARKETING", "20% off all loans this week");
        api.accepted(BANK_KEY, "{\"clientMessageId\":\"ttl-long-code-" + recipient + "\",\"recipient\":\"" + recipient
                + "\",\"declaredCategory\":\"AUTHENTICATION\",\"text\":\"Your code is 111111\",\"ttlSeconds\":86400}");
        api.accepted(BANK_KEY, "{\"clientMessageId\":\"ttl-short-" + recipient + "\",\"recipient\":\"" + recipient
                + "\",\"declaredCategory\":\"TRANSACTIONAL\",\"text\":\"Gate B12 closes\",\"ttlSeconds\":90}");

        assertThat(api.pull(recipient, "?max=10")).extracting(QueuedMessage::getTtlSeconds)
                .containsExactly(600, 3_600, 86_400, 90, 604_800);
    }

    @Test
    void anExpiredMessageIsNeverHandedOutAndBecomesExpired() {
        String recipient = optedIn(BANK);
        String code = api.accepted(BANK_KEY, "exp-code-" + recipient, recipient, "AUTHENTICATION", "Your code is 482913");
        String alert = api.accepted(BANK_KEY, "exp-alert-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 3 EUR");

        Instant expiry = gateway.clock().advance(Duration.ofMinutes(10));
        assertThat(api.pullIds(recipient, "")).containsExactly(alert);

        MessageStatus expired = api.status(BANK_KEY, code);
        assertThat(expired.getState()).isEqualTo(MessageStatus.State.EXPIRED);
        assertThat(expired.getExpiredAt()).isEqualTo(expiry.toString());
        assertThat(api.report(recipient, "ack", ids(code))).as("too late to deliver").isEqualTo("{}");
    }

    @Test
    void anExpiredMessageNobodyReadsLeavesItsQueueOnTheNextTick() {
        String recipient = optedIn(SHOP);
        String code = api.accepted(SHOP_KEY, "tick-" + recipient, recipient, "AUTHENTICATION", "Your code is 482913");

        gateway.clock().advance(Duration.ofMinutes(10).plusSeconds(1));
        gateway.gateway().tick().join();

        assertThat(api.status(SHOP_KEY, code).getState()).isEqualTo(MessageStatus.State.EXPIRED);
        assertThat(gateway.queues().peek(PhoneNumber.parse(recipient).orElseThrow(), 10)
                .join()).isEmpty();
    }

    @Test
    void codesComeBeforeAlertsBeforeOffersAndEachCategoryInAcceptanceOrder() {
        String recipient = optedIn(BANK);
        http.optIn(recipient, SHOP, "TRANSACTIONAL_CLASS");
        String offer = api.accepted(BANK_KEY, "p-offer-" + recipient, recipient, "MARKETING", "20% off all loans this week");
        String alert1 = api.accepted(BANK_KEY, "p-alert1-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 1 EUR");
        String shopAlert = api.accepted(SHOP_KEY, "p-shop-" + recipient, recipient, "TRANSACTIONAL", "Your order shipped");
        String code = api.accepted(BANK_KEY, "p-code-" + recipient, recipient, "AUTHENTICATION", "Your code is 482913");
        String alert2 = api.accepted(BANK_KEY, "p-alert2-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 2 EUR");

        assertThat(api.pullIds(recipient, "?max=2")).containsExactly(code, alert1);
        assertThat(api.pullIds(recipient, "?max=10"))
                .as("the bank's second alert waits while another reader holds its first")
                .containsExactly(shopAlert, offer);
        api.report(recipient, "ack", ids(alert1));
        assertThat(api.pullIds(recipient, "?max=10")).containsExactly(alert2);
    }

    @Test
    void aLeasedMessageIsHiddenFromOtherReadersUntilItsLeaseRunsOut() {
        String recipient = optedIn(BANK);
        String id = api.accepted(BANK_KEY, "lease-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 3 EUR");

        List<QueuedMessage> first = api.pull(recipient, "?leaseSeconds=60");
        assertThat(first).extracting(QueuedMessage::getMessageId).containsExactly(id);
        assertThat(first.get(0).getLeasedUntil()).isEqualTo(gateway.clock().instant().plusSeconds(60).toString());
        assertThat(api.pull(recipient, "")).as("a second reader").isEmpty();

        gateway.clock().advance(Duration.ofSeconds(59));
        assertThat(api.pull(recipient, "")).isEmpty();
        gateway.clock().advance(Duration.ofSeconds(1));
        assertThat(api.pullIds(recipient, "")).as("the lease ran out unacknowledged").containsExactly(id);

        assertThat(api.report(recipient, "ack", ids(id))).isEqualTo("{\"removed\":1}");
        assertThat(api.report(recipient, "ack", ids(id))).as("idempotent").isEqualTo("{}");
        gateway.clock().advance(Duration.ofMinutes(5));
        assertThat(api.pull(recipient, "")).as("acknowledged never comes back").isEmpty();
        assertThat(http.get("/metrics", null).body()).contains("optline_inbox_lease_expiries_total");
    }

    @Test
    void concurrentReadersNeverGetTheSameLeasedMessageAndGetThemInAcceptanceOrder() throws Exception {
        String recipient = optedIn(SHOP);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            accepted.add(api.accepted(SHOP_KEY, "two-" + i + "-" + recipient, recipient, "TRANSACTIONAL",
                    "Your order " + i + " shipped"));
        }
        // Each reader acknowledges what it got; until it does, the others get nothing of the shop's alerts.
        List<String> handedOut = Collections.synchronizedList(new ArrayList<>());
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> reads = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                reads.add(readers.submit(() -> {
                    for (int i = 0; i < 1_000 && handedOut.size() < accepted.size(); i++) {
                        List<String> got = api.pullIds(recipient, "?max=3");
                        if (!got.isEmpty()) {
                            handedOut.addAll(got);
                            api.report(recipient, "ack", ids(got.toArray(String[]::new)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> read : reads) {
                read.get();
            }
            assertThat(handedOut).as("every message once, and never one before an earlier one")
                    .containsExactlyElementsOf(accepted);
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void aLongPollAnswersWhenAMessageArrives() throws Exception {
        String recipient = optedIn(BANK);
        CompletableFuture<HttpResponse<String>> poll = TestHttp.on(gateway.gateway().httpPort())
                .getAsync(DeliveryApi.inbox(recipient) + "?waitSeconds=20", PLATFORM_KEY);
        DeliveryApi.eventually("the long-poll waits", () -> gateway.gateway().context().inbox().waitingCount() > 0);
        assertThat(poll).isNotDone();

        String id = api.accepted(BANK_KEY, "poll-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 3 EUR");

        assertThat(poll.get(10, TimeUnit.SECONDS).body()).contains(id);
        assertThat(api.pull(recipient, "")).as("it was leased to the long-poll").isEmpty();
    }

    @Test
    void aLongPollWhoseClientWentAwayTakesNothing() {
        String recipient = optedIn(BANK);
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            client.write("GET " + DeliveryApi.inbox(recipient) + "?waitSeconds=30 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + PLATFORM_KEY + "\r\n\r\n");
            DeliveryApi.eventually("the long-poll waits", () -> gateway.gateway().context().inbox().waitingCount() > 0);
        }
        DeliveryApi.eventually("the long-poll of a closed connection stopped waiting",
                () -> gateway.gateway().context().inbox().waitingCount() == 0);

        String id = api.accepted(BANK_KEY, "gone-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 3 EUR");

        assertThat(api.pullIds(recipient, "")).as("not leased to a reader that is gone").containsExactly(id);
    }

    @Test
    void aLongPollWithNothingToHandOutAnswersEmptyAtItsDeadlineOnTheGatewaysClock() throws Exception {
        String recipient = optedIn(BANK);
        CompletableFuture<HttpResponse<String>> poll = TestHttp.on(gateway.gateway().httpPort())
                .getAsync(DeliveryApi.inbox(recipient) + "?waitSeconds=5", PLATFORM_KEY);
        DeliveryApi.eventually("the long-poll waits", () -> gateway.gateway().context().inbox().waitingCount() > 0);

        gateway.clock().advance(Duration.ofSeconds(4));
        gateway.gateway().tick().join();
        assertThat(gateway.gateway().context().inbox().waitingCount()).as("still waiting before its deadline")
                .isPositive();
        gateway.clock().advance(Duration.ofSeconds(1));
        gateway.gateway().tick().join();

        HttpResponse<String> answer = poll.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{}");
    }
}
