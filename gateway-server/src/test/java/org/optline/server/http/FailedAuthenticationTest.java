package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.ServerFrame;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.RawHttp;

/**
 * The finding: failed authentication was not limited (about 28 000 guesses a second over
 * keep-alive). Now failures are counted per client address on both listeners together; after
 * auth.max-failures the address is refused without its key being looked at (HTTP 429 with
 * Retry-After, TCP TOO_MANY_FAILURES after a pause) until auth.failure-window has passed since
 * its last failure. Each test uses its own loopback address, as a client of its own.
 */
class FailedAuthenticationTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(
            b -> b.authFailures(3, Duration.ofMinutes(1), 1_000), new InMemoryDeliveryQueues());

    private static RawHttp.Response get(RawHttp client, String key) {
        return client.write("GET /v1/consents/%2B14155550123 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                + "\r\n\r\n").readResponse();
    }

    @Test
    void afterThreeWrongKeysOverKeepAliveEvenTheRightKeyIsRefused429UntilTheWindowPasses() {
        try (RawHttp guesser = RawHttp.connect(gateway.gateway().httpPort(), "127.0.0.11");
             RawHttp neighbour = RawHttp.connect(gateway.gateway().httpPort(), "127.0.0.12")) {
            for (int i = 0; i < 3; i++) {
                assertThat(get(guesser, "olp_guess_" + i).status()).isEqualTo(401);
            }
            RawHttp.Response blocked = get(guesser, PLATFORM_KEY);
            assertThat(blocked.status()).isEqualTo(429);
            assertThat(blocked.header("Retry-After")).isEqualTo("60");
            assertThat(ApiJson.error(blocked.body()).getReason()).isEqualTo("TOO_MANY_FAILURES");

            assertThat(get(neighbour, PLATFORM_KEY).status()).as("another address").isEqualTo(200);

            gateway.clock().advance(Duration.ofSeconds(61));
            assertThat(get(guesser, PLATFORM_KEY).status()).isEqualTo(200);
        }
    }

    @Test
    void aMissingKeyIsAMistakeNotAGuessAndIsNotCounted() {
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort(), "127.0.0.13")) {
            for (int i = 0; i < 10; i++) {
                RawHttp.Response response = client.write("GET /v1/consents/%2B14155550123 HTTP/1.1\r\nHost: x\r\n\r\n")
                        .readResponse();
                assertThat(response.status()).isEqualTo(401);
            }
            assertThat(get(client, PLATFORM_KEY).status()).isEqualTo(200);
        }
    }

    @Test
    void failuresOverHttpAndTcpCountTogetherAndABlockedTcpClientIsToldAfterAPause() throws IOException {
        try (RawHttp http = RawHttp.connect(gateway.gateway().httpPort(), "127.0.0.14")) {
            assertThat(get(http, "olk_guess_1").status()).isEqualTo(401);
            assertThat(get(http, "olk_guess_2").status()).isEqualTo(401);
        }
        assertThat(authenticate("127.0.0.14", "olk_guess_3").getError().getCode())
                .isEqualTo(ErrorCode.UNAUTHENTICATED);

        ServerFrame blocked = authenticate("127.0.0.14", BANK_KEY);
        assertThat(blocked.getError().getCode()).isEqualTo(ErrorCode.TOO_MANY_FAILURES);
        assertThat(blocked.getError().getRetryAfterMs()).isPositive();
        assertThat(authenticate("127.0.0.15", BANK_KEY).hasAuthenticated()).as("another address").isTrue();

        String scrape = gateway.gateway().context().registry().scrape();
        assertThat(scrape).containsPattern("optline_authentication_failures_total\\{listener=\"tcp\"} [1-9]")
                .containsPattern("optline_authentication_blocked_total\\{listener=\"tcp\"} [1-9]");
    }

    private static ServerFrame authenticate(String from, String key) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway().tcpPort()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(key)).build()
                    .writeDelimitedTo(out);
            out.flush();
            return ServerFrame.parseDelimitedFrom(socket.getInputStream());
        }
    }
}
