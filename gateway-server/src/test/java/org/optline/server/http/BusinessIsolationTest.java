package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.SHOP;
import static org.optline.server.testing.TestBusinesses.SHOP_KEY;

import com.google.protobuf.util.JsonFormat;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/** One business learns nothing of a person's consent with another, through any endpoint or error. */
class BusinessIsolationTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private static MessageResult send(String key, String recipient, String category, String text) throws Exception {
        HttpResponse<String> response = gateway.http().postJson("/v1/messages", key,
                TestHttp.message("iso-" + System.nanoTime(), recipient, category, text));
        MessageResult.Builder result = MessageResult.newBuilder();
        JsonFormat.parser().merge(response.body(), result);
        return result.build();
    }

    @Test
    void eachBusinessSeesOnlyItsOwnStandingWithThePerson() throws Exception {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        gateway.http().consent(recipient, SHOP, "BLOCK", null);

        MessageResult toBank = send(BANK_KEY, recipient, "TRANSACTIONAL", "Your balance is 9 EUR");
        MessageResult toShop = send(SHOP_KEY, recipient, "TRANSACTIONAL", "Your order has shipped");
        assertThat(toBank.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(toShop.getReason()).isEqualTo(Reason.BLOCKED);
        assertThat(toShop.getDetail()).doesNotContainIgnoringCase(BANK);
        assertThat(toBank.getDetail()).doesNotContainIgnoringCase(SHOP);

        assertThat(gateway.http().get("/v1/messages/" + toBank.getMessageId(), SHOP_KEY).statusCode())
                .isEqualTo(404);
        String encoded = recipient.replace("+", "%2B");
        for (String path : new String[] {"/v1/consents/" + encoded, "/v1/consents/" + encoded + "/events",
                "/v1/inbox/" + encoded}) {
            HttpResponse<String> response = gateway.http().get(path, SHOP_KEY);
            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(response.body()).as(path).doesNotContain(BANK).doesNotContain(recipient.substring(1));
        }
        HttpResponse<String> erase = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        gateway.http().uri("/v1/recipients/" + encoded))
                .header("Authorization", "Bearer " + SHOP_KEY).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(erase.statusCode()).as("a business cannot erase a person").isEqualTo(403);
        assertThat(send(BANK_KEY, recipient, "TRANSACTIONAL", "Your balance is 8 EUR").getReason())
                .isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void unblockAndMarketingOnRestoreWhatWasThereBefore() throws Exception {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, SHOP, "MARKETING_CLASS");
        gateway.http().consent(recipient, SHOP, "BLOCK", null);
        assertThat(send(SHOP_KEY, recipient, "MARKETING", "Spring sale").getReason()).isEqualTo(Reason.BLOCKED);

        gateway.http().consent(recipient, SHOP, "UNBLOCK", null);
        assertThat(send(SHOP_KEY, recipient, "MARKETING", "Summer sale").getReason()).isEqualTo(Reason.ACCEPTED);

        gateway.http().consent(recipient, SHOP, "MARKETING_OFF", null);
        assertThat(send(SHOP_KEY, recipient, "MARKETING", "Autumn sale").getReason()).isEqualTo(Reason.OPTED_OUT);
        gateway.http().consent(recipient, SHOP, "MARKETING_ON", null);
        gateway.clock().advance(java.time.Duration.ofDays(1));
        assertThat(send(SHOP_KEY, recipient, "MARKETING", "Winter sale").getReason()).isEqualTo(Reason.ACCEPTED);
    }

}
