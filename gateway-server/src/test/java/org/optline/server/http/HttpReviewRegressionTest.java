package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.RawHttp;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/** Bad input that once escaped the API's answers: broken escapes, and errors among pipelined requests. */
class HttpReviewRegressionTest {
    @RegisterExtension
    static final GatewayExtension gateway =
            new GatewayExtension(b -> b.maxBodySize(4 * 1024), new InMemoryDeliveryQueues());

    @Test
    void aBrokenEscapeInTheRecipientPathIsChecked401BeforeAnythingAnd400After() {
        // A raw socket: java.net.http refuses to send a broken escape at all.
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            RawHttp.Response anonymous = client.write(get(null)).readResponse();
            assertThat(anonymous.status()).isEqualTo(401);

            RawHttp.Response platform = client.write(get(PLATFORM_KEY)).readResponse();
            assertThat(platform.status()).isEqualTo(400);
            assertThat(platform.body()).contains("INVALID_RECIPIENT").doesNotContain("14155550123");
        }
        // Counted out when the write completes, which may be a moment after the client has read it.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (gateway.gateway().context().lifecycle().inFlight() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(gateway.gateway().context().lifecycle().inFlight()).isZero();
    }

    @Test
    void anOversizedBodyIsAnsweredAfterTheEarlierPipelinedRequest() {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        String first = TestHttp.message("pipelined-before-413", recipient, "TRANSACTIONAL", "Your balance is 5 EUR");
        String big = "{\"text\":\"" + "x".repeat(8 * 1024) + "\"}";
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            client.write(post(first) + post(big));
            RawHttp.Response answerToFirst = client.readResponse();
            assertThat(answerToFirst.status()).isEqualTo(200);
            assertThat(answerToFirst.body()).contains("ACCEPTED");
            RawHttp.Response answerToSecond = client.readResponse();
            assertThat(answerToSecond.status()).isEqualTo(413);
            assertThat(answerToSecond.body()).contains("PAYLOAD_TOO_LARGE");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    private static String get(String key) {
        return "GET /v1/consents/%2B14155550123%2 HTTP/1.1\r\nHost: localhost\r\n"
                + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "\r\n";
    }

    private static String post(String json) {
        int length = json.getBytes(StandardCharsets.UTF_8).length;
        return "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + BANK_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n" + json;
    }
}
