package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestHttp.message;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.proto.v1.Reason;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.RawHttp;
import org.optline.server.testing.Recipients;

/**
 * A request that will be refused whatever its body says is answered from its head alone: the
 * node never buffers the body of a client that has not shown a valid key (the HTTP form of the
 * TCP finding that anonymous partial frames of 4 MiB exhausted memory).
 */
class HttpUnauthenticatedBodyTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private static final int FOUR_MIB = 4 * 1024 * 1024;

    private static String head(String method, String path, String authorization) {
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Type: application/json\r\nContent-Length: " + FOUR_MIB + "\r\n\r\n";
    }

    @Test
    void aWrongKeyIsAnswered401BeforeTheBodyIsSent() {
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            client.write(head("POST", "/v1/messages", "Bearer olk_not_a_key") + "{\"messages\":[");
            RawHttp.Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(401);
            assertThat(ApiJson.error(response.body()).getReason()).isEqualTo("UNAUTHENTICATED");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void noKeyOnAPlatformRouteAndAnUnknownPathAreAnsweredBeforeTheBody() {
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            client.write(head("PUT", "/v1/consents", null));
            assertThat(client.readResponse().status()).isEqualTo(401);
        }
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            client.write(head("POST", "/v1/nowhere", "Bearer " + BANK_KEY));
            assertThat(client.readResponse().status()).isEqualTo(404);
        }
        try (RawHttp client = RawHttp.connect(gateway.gateway().httpPort())) {
            client.write(head("POST", "/health/live", null));
            assertThat(client.readResponse().status()).isEqualTo(405);
        }
    }

    @Test
    void aValidKeyStillHasItsBodyRead() {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        HttpResponse<String> response = gateway.http().postJson("/v1/messages", BANK_KEY,
                message("body-after-credentials", recipient, "TRANSACTIONAL", "Your balance is 3 EUR"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ApiJson.result(response).getReason()).isEqualTo(Reason.ACCEPTED);
    }
}
