package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;
import static org.optline.server.testing.TestBusinesses.SHOP_KEY;

import com.google.protobuf.util.JsonFormat;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.proto.v1.ConsentRequestList;
import org.optline.proto.v1.ConsentRequestStatus;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;

/** Consent requests: asked once, open for 30 days, expired as declined, then a 90-day cool-down. */
class ConsentRequestsTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private static HttpResponse<String> ask(String key, String recipient) {
        return gateway.http().postJson("/v1/consent-requests", key,
                "{\"recipient\":\"" + recipient + "\",\"consentClass\":\"MARKETING_CLASS\"}");
    }

    private static ConsentRequestStatus status(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ConsentRequestStatus.Builder status = ConsentRequestStatus.newBuilder();
        JsonFormat.parser().merge(response.body(), status);
        return status.build();
    }

    private static ConsentRequestList requests(String key, String recipient) throws Exception {
        HttpResponse<String> response = gateway.http().get("/v1/consent-requests/" + recipient.replace("+", "%2B"), key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ConsentRequestList.Builder list = ConsentRequestList.newBuilder();
        JsonFormat.parser().merge(response.body(), list);
        return list.build();
    }

    @Test
    void aRequestIsOpenAndAskingAgainMeanwhileReturnsTheSameRequest() throws Exception {
        String recipient = Recipients.next();
        ConsentRequestStatus first = status(ask(BANK_KEY, recipient));
        assertThat(first.getState()).isEqualTo(ConsentRequestStatus.State.OPEN);
        assertThat(Duration.between(java.time.Instant.parse(first.getAskedAt()),
                java.time.Instant.parse(first.getDecideBy()))).isEqualTo(Duration.ofDays(30));

        gateway.clock().advance(Duration.ofDays(1));
        assertThat(status(ask(BANK_KEY, recipient)).getAskedAt()).isEqualTo(first.getAskedAt());
    }

    @Test
    void aBusinessSeesOnlyItsOwnRequests() throws Exception {
        String recipient = Recipients.next();
        status(ask(BANK_KEY, recipient));

        assertThat(requests(BANK_KEY, recipient).getRequestsList()).hasSize(1);
        assertThat(requests(SHOP_KEY, recipient).getRequestsList()).isEmpty();
        assertThat(gateway.http().get("/v1/consent-requests/" + recipient.replace("+", "%2B"), PLATFORM_KEY)
                .statusCode()).as("requests are a business's own; the platform key is not a business").isEqualTo(401);
    }

    @Test
    void theOptInAnswersTheRequestAndThereIsNothingLeftToAsk() throws Exception {
        String recipient = Recipients.next();
        status(ask(BANK_KEY, recipient));
        gateway.clock().advance(Duration.ofDays(2));
        gateway.http().optIn(recipient, BANK, "MARKETING_CLASS");

        assertThat(requests(BANK_KEY, recipient).getRequests(0).getState())
                .isEqualTo(ConsentRequestStatus.State.ACCEPTED);
        HttpResponse<String> again = ask(BANK_KEY, recipient);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("ALREADY_DECIDED");
    }

    @Test
    void anOptOutDeclinesTheRequest() throws Exception {
        String recipient = Recipients.next();
        status(ask(BANK_KEY, recipient));
        gateway.http().consent(recipient, BANK, "OPT_OUT", "MARKETING_CLASS");

        assertThat(requests(BANK_KEY, recipient).getRequests(0).getState())
                .isEqualTo(ConsentRequestStatus.State.DECLINED);
    }

    @Test
    void anUndecidedRequestExpiresAfterThirtyDaysAndCoolsDownForNinety() throws Exception {
        String recipient = Recipients.next();
        status(ask(BANK_KEY, recipient));

        gateway.clock().advance(Duration.ofDays(30));
        ConsentRequestStatus expired = requests(BANK_KEY, recipient).getRequests(0);
        assertThat(expired.getState()).isEqualTo(ConsentRequestStatus.State.EXPIRED);

        gateway.clock().advance(Duration.ofDays(89));
        HttpResponse<String> tooSoon = ask(BANK_KEY, recipient);
        assertThat(tooSoon.statusCode()).isEqualTo(429);
        assertThat(tooSoon.body()).contains("COOLING_DOWN");
        assertThat(tooSoon.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, Duration.ofDays(1).toSeconds()));

        gateway.clock().advance(Duration.ofDays(1));
        assertThat(status(ask(BANK_KEY, recipient)).getState()).isEqualTo(ConsentRequestStatus.State.OPEN);
    }

    @Test
    void aPersonWithARecordIsNotAsked() {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, BANK, "MARKETING_CLASS");
        assertThat(ask(BANK_KEY, recipient).statusCode()).isEqualTo(409);
    }
}
