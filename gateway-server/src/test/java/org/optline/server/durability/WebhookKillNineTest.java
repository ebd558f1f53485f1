package org.optline.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Credential;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Webhook;
import org.optline.proto.v1.WebhookEvent;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestHttp;
import org.optline.server.testing.WebhookReceiver;

/**
 * Webhook events pending in the durable outbox survive {@code kill -9}: a gateway whose receiver is
 * down is killed with events waiting; after a restart, with the receiver back, every event arrives
 * at least once, signed, and in order per message.
 */
class WebhookKillNineTest {
    private static final String BUSINESS = "crash-bank";
    private static final String BUSINESS_KEY = "olk_crash_bank_webhooks";
    private static final String PLATFORM_KEY = TestBusinesses.PLATFORM_KEY;
    private static final int MESSAGES = 20;

    @TempDir
    Path temp;

    private GatewayProcess child;
    private WebhookReceiver receiver;

    @AfterEach
    void stop() {
        if (child != null) {
            child.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyPendingEventIsDeliveredAfterKill9() throws Exception {
        receiver = WebhookReceiver.start(0, InstantSource.system());
        receiver.answer("/hook", WebhookReceiver.Behaviour.FAIL);
        Path config = writeConfig(temp.resolve("data"));
        child = GatewayProcess.start(config, Duration.ofSeconds(60));
        TestHttp http = TestHttp.on(child.httpPort());

        HttpResponse<String> registered = http.putJson("/v1/webhook", BUSINESS_KEY,
                "{\"url\":\"" + receiver.url("/hook") + "\"}");
        Webhook.Builder webhook = Webhook.newBuilder();
        JsonFormat.parser().merge(registered.body(), webhook);
        String secret = webhook.getSecrets(0).getSecret();

        String recipient = Recipients.next();
        http.optIn(recipient, BUSINESS, "TRANSACTIONAL_CLASS");
        Set<String> accepted = new LinkedHashSet<>();
        for (int i = 0; i < MESSAGES; i++) {
            HttpResponse<String> response = http.postJson("/v1/messages", BUSINESS_KEY, TestHttp.message(
                    "crash-hook-" + i, recipient, "TRANSACTIONAL", "Your parcel " + i + " is out"));
            MessageResult.Builder result = MessageResult.newBuilder();
            JsonFormat.parser().merge(response.body(), result);
            accepted.add(result.getMessageId());
        }
        String inbox = "/v1/inbox/" + URLEncoder.encode(recipient, StandardCharsets.UTF_8);
        http.get(inbox + "?max=100", PLATFORM_KEY);
        String ids = String.join(",", accepted.stream().map(id -> "\"" + id + "\"").toList());
        assertThat(http.postJson(inbox + "/ack", PLATFORM_KEY, "{\"messageIds\":[" + ids + "]}").body())
                .isEqualTo("{\"removed\":" + MESSAGES + "}");
        assertThat(http.postJson(inbox + "/read", PLATFORM_KEY, "{\"messageIds\":[" + ids + "]}").body())
                .isEqualTo("{\"changed\":" + MESSAGES + "}");
        waitFor("the receiver refused a first batch", () -> !receiver.requests("/hook").isEmpty());

        child.kill();
        child = null;
        receiver.answer("/hook", WebhookReceiver.Behaviour.OK);
        child = GatewayProcess.start(config, Duration.ofSeconds(60));

        waitFor("every event delivered after the restart",
                () -> arrived("DELIVERED").containsAll(accepted) && arrived("READ").containsAll(accepted));
        for (WebhookReceiver.Request request : receiver.delivered("/hook")) {
            assertThat(WebhookReceiver.verify(request.signature(), request.body(), secret, request.receivedAt(), 300))
                    .isTrue();
        }
        // In order per message, even across the crash: each DELIVERED first arrived before its READ.
        List<String> firstArrivals = receiver.deliveredEvents("/hook").stream()
                .map(event -> event.getMessageId() + " " + event.getState().name()).distinct().toList();
        for (String id : accepted) {
            assertThat(firstArrivals).containsSubsequence(id + " DELIVERED", id + " READ");
        }
    }

    /** The messages whose event of this state arrived (answered 200) at least once. */
    private Set<String> arrived(String state) {
        Set<String> ids = new HashSet<>();
        for (WebhookEvent event : receiver.deliveredEvents("/hook")) {
            if (event.getState().name().equals(state)) {
                ids.add(event.getMessageId());
            }
        }
        return ids;
    }

    private static void waitFor(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private Path writeConfig(Path dataDir) throws IOException {
        String properties = String.join("\n",
                "storage=rocksdb",
                "data.dir=" + dataDir.toString().replace("\\", "\\\\"),
                "http.port=0",
                "tcp.port=0",
                "demo.enabled=false",
                "platform.key-sha256=" + Credential.sha256Hex(PLATFORM_KEY),
                "business." + BUSINESS + ".key-sha256=" + Credential.sha256Hex(BUSINESS_KEY),
                "business." + BUSINESS + ".tier=unlimited",
                // Retries every few hundred milliseconds, so the test is short on the real clock.
                "webhook.backoff-base=100ms",
                "webhook.backoff-max=200ms",
                "webhook.max-attempts=1000",
                "webhook.timeout=2s",
                "delivery.tick=50ms",
                "");
        Path file = temp.resolve("optline.properties");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
        return file;
    }
}
