package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestHttp.message;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.Reason;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.RawHttp;
import org.optline.server.testing.Recipients;

/**
 * Bad input at the HTTP layer gets a clear status and harms nothing else: an oversized body or
 * header section, a request that is not HTTP at all. The limits are set low so that the tests
 * stay small.
 */
class HttpLimitsTest {
    private static final int MAX_BODY = 64 * 1024;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(
            b -> b.maxBodySize(MAX_BODY).maxHeaderSize(2048), new InMemoryDeliveryQueues());

    @Test
    void bodyOverTheLimitIs413WithAJsonErrorAndTheConnectionCloses() {
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            // The announced length alone is enough: the answer comes before any body byte is read.
            client.write("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + BANK_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n");

            RawHttp.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(ApiJson.error(response.body()).getReason()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aClientThatSendsItsWholeOversizedBodyBeforeReadingStillGetsThe413() {
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            int chunks = 256;
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            client.write("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + BANK_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + chunks * chunk.length + "\r\n\r\n");
            // 16 MiB, far more than the sockets buffer: closing at once after the 413 would reset the
            // connection under this client's writes and lose the answer (the gateway lingers instead).
            for (int i = 0; i < chunks; i++) {
                client.write(chunk);
            }

            RawHttp.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(ApiJson.error(response.body()).getReason()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void bodyJustUnderTheLimitIsRead() {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        String json = message("limits-under-1", recipient, "TRANSACTIONAL", "Your payment was received.");
        // Insignificant whitespace pads the body to the limit exactly.
        String padded = json.substring(0, json.length() - 1) + " ".repeat(MAX_BODY - json.length()) + "}";

        HttpResponse<String> response = gateway.http().postJson("/v1/messages", BANK_KEY, padded);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ApiJson.result(response).getReason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void headersOverTheLimitAre431AndTheConnectionCloses() {
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            client.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(3000) + "\r\n\r\n");

            RawHttp.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(431);
            assertThat(ApiJson.error(response.body()).getReason()).isEqualTo("HEADERS_TOO_LARGE");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void garbageRequestLineIs400AndTheConnectionCloses() {
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            client.write("GARBAGE\r\n\r\n");

            RawHttp.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(ApiJson.error(response.body()).getReason()).isEqualTo("MALFORMED_REQUEST");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void clientSendingGarbageDoesNotStopAnotherClientFromBeingServed() {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        try (RawHttp bad = RawHttp.connect(gateway.gateway().httpPort())) {
            // Half a line of garbage: the server waits for the rest of it on this connection.
            bad.write("\u0001\u0002GARB");

            HttpResponse<String> served = gateway.http().postJson("/v1/messages", BANK_KEY,
                    message("limits-neighbour-1", recipient, "TRANSACTIONAL", "Your payment was received."));

            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(ApiJson.result(served).getReason()).isEqualTo(Reason.ACCEPTED);

            bad.write("AGE\r\n\r\n");
            assertThat(bad.readResponse().status()).isEqualTo(400);
            assertThat(bad.isClosedByServer()).isTrue();
        }
        HttpResponse<String> after = gateway.http().postJson("/v1/messages", BANK_KEY,
                message("limits-neighbour-2", recipient, "TRANSACTIONAL", "Your statement is ready."));
        assertThat(ApiJson.result(after).getReason()).isEqualTo(Reason.ACCEPTED);
    }
}
