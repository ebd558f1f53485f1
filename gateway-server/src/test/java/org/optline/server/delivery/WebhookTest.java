package org.optline.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.delivery.DeliveryApi.eventually;
import static org.optline.server.delivery.DeliveryApi.ids;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.RED;
import static org.optline.server.testing.TestBusinesses.RED_KEY;
import static org.optline.server.testing.TestBusinesses.SHOP;
import static org.optline.server.testing.TestBusinesses.SHOP_KEY;
import static org.optline.server.testing.TestBusinesses.TRICKLE;
import static org.optline.server.testing.TestBusinesses.TRICKLE_KEY;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.webhook.WebhookPolicy;
import org.optline.proto.v1.DeadLetters;
import org.optline.proto.v1.MessageStatus;
import org.optline.proto.v1.Webhook;
import org.optline.proto.v1.WebhookEvent;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;
import org.optline.server.testing.WebhookReceiver;

/**
 * Signed webhooks end to end, to a real HTTP receiver on loopback that checks every signature with
 * its own implementation: every transition arrives, in order per message; a failing receiver is
 * retried with back-off on the gateway's clock, then dead-lettered, then replayed; one that never
 * answers never holds admission; a rotated secret signs beside the new one for its overlap.
 */
class WebhookTest {
    /** Three attempts, backing off 1 s then 2 s (plus jitter, at most doubled), so the test moves the clock 4 s. */
    private static final WebhookPolicy POLICY = new WebhookPolicy(100, Duration.ofMillis(300), 3, Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofHours(24), Duration.ofDays(7));
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(config -> config
            .webhooks(POLICY).deliveryTick(Duration.ofMillis(20)));
    private static final WebhookReceiver receiver = WebhookReceiver.start(1_500, gateway.clock());

    private static final Pattern REFUSED = Pattern.compile("optline_webhook_attempts_total\\{outcome=\"refused\"} ([0-9.E]+)");

    private final TestHttp http = gateway.http();
    private final DeliveryApi api = new DeliveryApi(http);

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private Webhook register(String key, String path) {
        return DeliveryApi.parse(http.putJson("/v1/webhook", key, "{\"url\":\"" + receiver.url(path) + "\"}"),
                Webhook.newBuilder()).build();
    }

    /** A client_message_id part that is not the number: webhook bodies must never carry one. */
    private static String tag(String recipient) {
        return recipient.substring(recipient.length() - 4);
    }

    private String optedIn(String business) {
        String recipient = Recipients.next();
        http.optIn(recipient, business, "TRANSACTIONAL_CLASS");
        return recipient;
    }

    @Test
    void everyStateChangeArrivesSignedAndInOrderPerMessage() {
        Webhook webhook = register(BANK_KEY, "/bank");
        String secret = webhook.getSecrets(0).getSecret();
        assertThat(secret).startsWith("whsec_");
        String recipient = optedIn(BANK);
        String read = api.accepted(BANK_KEY, "wh-1-" + tag(recipient), recipient, "TRANSACTIONAL", "Your card was charged 9 EUR");
        String failed = api.accepted(BANK_KEY, "wh-2-" + tag(recipient), recipient, "TRANSACTIONAL", "Your card was charged 8 EUR");
        String expired = api.accepted(BANK_KEY, "wh-3-" + tag(recipient), recipient, "AUTHENTICATION", "Your code is 482913");

        api.pull(recipient, "?max=1");
        api.report(recipient, "ack", ids(read));
        api.report(recipient, "read", ids(read));
        api.report(recipient, "fail", "{\"messageIds\":[\"" + failed + "\"],\"reason\":\"unreachable phone\"}");
        // Arrived before the clock jumps, so that each is received within its signature's replay window.
        eventually("three events delivered", () -> receiver.deliveredEvents("/bank").size() >= 3);
        gateway.clock().advance(Duration.ofMinutes(11));
        gateway.gateway().tick().join();

        eventually("four events delivered", () -> receiver.deliveredEvents("/bank").size() >= 4);
        List<WebhookEvent> events = receiver.deliveredEvents("/bank");
        assertThat(events).extracting(e -> e.getMessageId() + " " + e.getState())
                .containsSubsequence(read + " DELIVERED", read + " READ")
                .contains(failed + " FAILED", expired + " EXPIRED");
        WebhookEvent gaveUp = events.stream().filter(e -> e.getMessageId().equals(failed)).findFirst().orElseThrow();
        assertThat(gaveUp.getFailureReason()).isEqualTo("unreachable phone");
        assertThat(gaveUp.getEventId()).isEqualTo(failed + ".failed");
        assertThat(gaveUp.getClientMessageId()).isEqualTo("wh-2-" + tag(recipient));
        for (WebhookReceiver.Request request : receiver.requests("/bank")) {
            assertThat(request.contentType()).startsWith("application/json");
            long at = request.receivedAt();
            assertThat(WebhookReceiver.verify(request.signature(), request.body(), secret, at, 300))
                    .as("signature %s", request.signature()).isTrue();
            assertThat(WebhookReceiver.verify(request.signature(), request.body(), "whsec_wrong", at, 300)).isFalse();
            assertThat(WebhookReceiver.verify(request.signature(), request.body(), secret, at + 301, 300))
                    .as("outside the replay window").isFalse();
            assertThat(request.text()).doesNotContain(recipient).doesNotContain(recipient.substring(1));
        }
    }

    @Test
    void aFailingReceiverIsRetriedWithBackOffThenDeadLetteredAndReplayedWhenItComesBack() {
        receiver.answer("/shop", WebhookReceiver.Behaviour.FAIL);
        register(SHOP_KEY, "/shop");
        String recipient = optedIn(SHOP);
        String id = api.accepted(SHOP_KEY, "dl-" + recipient, recipient, "TRANSACTIONAL", "Your order shipped");
        api.report(recipient, "ack", ids(id));

        eventually("the first attempt failed", () -> refusedAttempts() == 1);
        // When exactly a retry may go is WebhookDispatcherTest's (on a transport it answers itself);
        // here each retry goes once the gateway's clock is past its back-off.
        for (int attempt = 2; attempt <= 3; attempt++) {
            int expected = attempt;
            gateway.clock().advance(Duration.ofSeconds(4));
            eventually("attempt " + attempt + " failed", () -> refusedAttempts() == expected);
        }
        eventually("dead-lettered after the third attempt", () -> deadLetters(SHOP_KEY).getEventsCount() == 1);
        assertThat(deadLetters(SHOP_KEY).getEvents(0).getMessageId()).isEqualTo(id);
        gateway.clock().advance(Duration.ofMinutes(30));
        gateway.gateway().tick().join();
        assertThat(receiver.requests("/shop")).as("nothing left to retry").hasSize(3);

        receiver.answer("/shop", WebhookReceiver.Behaviour.OK);
        assertThat(http.postJson("/v1/webhook/dead-letters/replay", SHOP_KEY, "{}").body()).isEqualTo("{\"replayed\":1}");
        eventually("replayed", () -> receiver.deliveredEvents("/shop").size() == 1);
        assertThat(receiver.deliveredEvents("/shop").get(0).getEventId()).isEqualTo(id + ".delivered");
        assertThat(deadLetters(SHOP_KEY).getEventsCount()).isZero();
        assertThat(http.get("/metrics", null).body()).contains("optline_webhook_attempts_total{outcome=\"refused\"} 3.0");
    }

    @Test
    void aReceiverThatNeverAnswersNeverHoldsAdmissionAndGetsItsEventsWhenItRecovers() {
        receiver.answer("/red", WebhookReceiver.Behaviour.HOLD);
        register(RED_KEY, "/red");
        String recipient = optedIn(RED);
        String first = api.accepted(RED_KEY, "slow-0-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 0 EUR");
        api.report(recipient, "ack", ids(first));
        eventually("the receiver holds the first request", () -> !receiver.requests("/red").isEmpty());

        // The receiver holds that request until the test lets it go: if admission or the inbox
        // waited for a webhook, none of these would be answered (the test's client gives up after 10 s).
        for (int i = 1; i <= 50; i++) {
            String id = api.accepted(RED_KEY, "slow-" + i + "-" + recipient, recipient, "TRANSACTIONAL",
                    "Your balance is " + i + " EUR");
            api.report(recipient, "ack", ids(id));
        }
        assertThat(api.status(RED_KEY, first).getState()).isEqualTo(MessageStatus.State.DELIVERED);
        assertThat(receiver.requests("/red")).as("still the one request, held").hasSize(1);

        receiver.answer("/red", WebhookReceiver.Behaviour.OK);
        // The timed-out attempt backs off on the gateway's clock; move it past the back-off.
        eventually("all 51 events, in batches", () -> {
            gateway.clock().advance(Duration.ofSeconds(3));
            return receiver.deliveredEvents("/red").stream().map(WebhookEvent::getEventId).distinct().count() == 51;
        });
        assertThat(receiver.delivered("/red").size()).as("batched: fewer requests than events").isLessThan(51);
    }

    @Test
    void aRotatedSecretSignsBesideTheNewOneUntilItsOverlapEnds() {
        String old = register(TRICKLE_KEY, "/trickle").getSecrets(0).getSecret();
        Webhook rotated = DeliveryApi.parse(http.postJson("/v1/webhook/secrets", TRICKLE_KEY, "{}"),
                Webhook.newBuilder()).build();
        assertThat(rotated.getSecretsCount()).isEqualTo(2);
        String fresh = rotated.getSecrets(0).getSecret();
        assertThat(rotated.getSecrets(1).getSecret()).isEqualTo(old);
        assertThat(rotated.getSecrets(1).getRetiresAt()).isNotEmpty();

        String recipient = optedIn(TRICKLE);
        String id = api.accepted(TRICKLE_KEY, "rot-1-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 1 EUR");
        api.report(recipient, "ack", ids(id));
        eventually("delivered during the overlap", () -> receiver.delivered("/trickle").size() == 1);
        WebhookReceiver.Request during = receiver.delivered("/trickle").get(0);
        assertThat(WebhookReceiver.verify(during.signature(), during.body(), old, during.receivedAt(), 300)).isTrue();
        assertThat(WebhookReceiver.verify(during.signature(), during.body(), fresh, during.receivedAt(), 300)).isTrue();

        gateway.clock().advance(Duration.ofHours(24).plusSeconds(1));
        assertThat(http.get("/v1/webhook", TRICKLE_KEY).body()).doesNotContain(old);
        String later = api.accepted(TRICKLE_KEY, "rot-2-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 2 EUR");
        api.report(recipient, "ack", ids(later));
        eventually("delivered after the overlap", () -> receiver.delivered("/trickle").size() == 2);
        WebhookReceiver.Request after = receiver.delivered("/trickle").get(1);
        assertThat(WebhookReceiver.verify(after.signature(), after.body(), fresh, after.receivedAt(), 300)).isTrue();
        assertThat(WebhookReceiver.verify(after.signature(), after.body(), old, after.receivedAt(), 300)).isFalse();
    }

    @Test
    void anInvalidUrlIsRefusedAndABusinessWithoutAWebhookSeesAnEmptyOne() {
        assertThat(http.putJson("/v1/webhook", BANK_KEY, "{\"url\":\"ftp://example.com/x\"}").statusCode()).isEqualTo(400);
        assertThat(http.putJson("/v1/webhook", BANK_KEY, "{\"url\":\"http://user:pw@127.0.0.1/x\"}").statusCode())
                .isEqualTo(400);
        assertThat(http.get("/v1/webhook", SHOP_KEY).statusCode()).isEqualTo(200);
    }

    /** Webhook requests the gateway saw refused (non-2xx), from its metrics. */
    private double refusedAttempts() {
        String metrics = http.get("/metrics", null).body();
        Matcher m = REFUSED.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private DeadLetters deadLetters(String key) {
        return DeliveryApi.parse(http.get("/v1/webhook/dead-letters", key), DeadLetters.newBuilder()).build();
    }
}
