package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.business.Credential;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;

/**
 * The finding: error bodies echoed the caller's input. An invalid enum value such as
 * {@code "+1 415 555 0123"} came back with the number intact (the masking caught only runs of 5
 * digits or more), and so would a key pasted into a field. Now an error quotes at most a short
 * excerpt with every digit masked, and never anything that looks like a key.
 */
class ErrorBodyEchoTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private static final String SPACED_NUMBER = "+1 415 555 0123";
    /** A key as the gateway makes them, pasted where it does not belong. */
    private static final String PASTED_KEY = Credential.generateSecret("olk_");

    private static String message(String field, String value) {
        return "{\"clientMessageId\":\"echo-" + Recipients.next() + "\",\"recipient\":\"" + Recipients.next()
                + "\",\"declaredCategory\":\"TRANSACTIONAL\",\"text\":\"hi\",\"" + field + "\":" + value + "}";
    }

    @Test
    void anInvalidEnumValueThatIsAPhoneNumberComesBackMaskedWithWhatWasExpected() {
        HttpResponse<String> response = gateway.http().postJson("/v1/messages", BANK_KEY,
                "{\"clientMessageId\":\"echo-enum\",\"recipient\":\"+14155550123\",\"declaredCategory\":\""
                        + SPACED_NUMBER + "\",\"text\":\"hi\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        String detail = ApiJson.error(response).getDetail();
        assertThat(detail).doesNotContain("415").doesNotContain("555").doesNotContain("0123")
                .contains("is not a Category; expected one of TRANSACTIONAL, AUTHENTICATION, MARKETING");
    }

    @Test
    void anUnknownFieldIsNamedSoThatATypoCanBeFound() {
        HttpResponse<String> response = gateway.http().postJson("/v1/messages", BANK_KEY, message("recipent", "\"x\""));

        assertThat(ApiJson.error(response).getDetail()).contains("unknown field \"recipent\" in Message");
    }

    @Test
    void aKeyPastedAnywhereInABodyNeverComesBack() {
        String key = "\"" + PASTED_KEY + "\"";
        List<Function<String, HttpResponse<String>>> mistakes = List.of(
                k -> post(message("declaredCategory", k)),
                k -> post(message("ttlSeconds", k)),
                k -> post(message(PASTED_KEY, "1")),
                k -> post(message("template", "{\"name\":" + k + "}")),
                k -> post(message("campaignId", "{\"k\":" + k + "}")),
                k -> post("{\"messages\":[" + k + "]}"),
                k -> post("{\"clientMessageId\":" + k + ",}"),
                k -> post("{\"clientMessageId\":\"x\",\"recipient\":\"+14155550123\",\"declaredCategory\":"
                        + "\"TRANSACTIONAL\",\"template\":{\"name\":" + k + ",\"parameters\":[]}}"),
                k -> gateway.http().putJson("/v1/consents", PLATFORM_KEY, "{\"recipient\":\"+14155550123\","
                        + "\"businessId\":\"" + BANK + "\",\"action\":" + k + "}"),
                k -> gateway.http().putJson("/v1/consents", PLATFORM_KEY, "{\"recipient\":\"+14155550123\","
                        + "\"businessId\":\"" + BANK + "\",\"action\":\"OPT_IN\",\"consentClass\":"
                        + "\"MARKETING_CLASS\",\"source\":" + k + "}"),
                k -> gateway.http().postJson("/v1/inbox/%2B14155550123/ack", PLATFORM_KEY, "{\"messageIds\":" + k + "}"));
        List<String> bodies = new ArrayList<>();
        for (Function<String, HttpResponse<String>> mistake : mistakes) {
            bodies.add(mistake.apply(key).body());
        }
        assertThat(bodies).allSatisfy(body -> {
            // Not the key, nor any eight characters of it in a row.
            for (int i = 0; i + 8 <= PASTED_KEY.length(); i++) {
                assertThat(body).doesNotContain(PASTED_KEY.substring(i, i + 8));
            }
        });
    }

    @Test
    void aPhoneNumberInAnyWrongPlaceNeverComesBack() {
        List<String> spellings = List.of(SPACED_NUMBER, "+1-415-555-0123", "(415) 555.0123", "+14155550123");
        for (String number : spellings) {
            String quoted = "\"" + number + "\"";
            for (String body : List.of(
                    post(message("declaredCategory", quoted)).body(),
                    post(message("ttlSeconds", quoted)).body(),
                    post(message(number, "1")).body(),
                    post(message("template", "{\"name\":" + quoted + ",\"parameters\":[]}")).body(),
                    post("{\"messages\":[" + quoted + "]}").body())) {
                assertThat(body).as(number).doesNotContain("415").doesNotContain("555").doesNotContain("0123");
            }
        }
    }

    private static HttpResponse<String> post(String json) {
        return gateway.http().postJson("/v1/messages", BANK_KEY, json);
    }
}
