package org.optline.server.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.AudienceUploadResult;
import org.optline.server.testing.CampaignRequests;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.RawHttp;
import org.optline.server.testing.TestHttp;

/**
 * Audience uploads go around the body limit: they are spooled to disk in chunks, so an audience
 * many times {@code http.max-body-size} is taken (here with a 16 KiB body limit), chunked or with
 * a length; past {@code campaigns.max-upload-size} the answer is 413 and the connection closes.
 */
class AudienceUploadTest {
    private static final int BODY_LIMIT = 16 * 1024;
    private static final int UPLOAD_LIMIT = 1024 * 1024;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(
            b -> b.maxBodySize(BODY_LIMIT).campaignMaxUploadSize(UPLOAD_LIMIT), new InMemoryDeliveryQueues());

    private final TestHttp http = gateway.http();
    private final CampaignRequests bank = new CampaignRequests(http, BANK_KEY);

    /** {@code rows} CSV lines of distinct valid UK mobile numbers, every tenth one invalid. */
    private static String csv(int rows, int first) {
        StringBuilder csv = new StringBuilder("recipient\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i % 10 == 9 ? "+44791" : String.format("+4479%08d", first + i)).append('\n');
        }
        return csv.toString();
    }

    @Test
    void anAudienceManyTimesTheBodyLimitIsSpooledAndStored() {
        String id = bank.createText("Large", "Spring sale", 10).getCampaignId();
        String body = csv(20_000, 10_000_000);
        assertThat(body.length()).isGreaterThan(10 * BODY_LIMIT);

        AudienceUploadResult result = bank.upload(id, "text/csv", body);

        assertThat(result.getRows()).isEqualTo(20_000);
        assertThat(result.getInvalidRows()).isEqualTo(2_000);
        assertThat(result.getAdded()).isEqualTo(18_000);
        assertThat(result.getInvalidList()).hasSize(100).first()
                .satisfies(row -> assertThat(row.getLine()).isEqualTo(11));
        assertThat(http.postJson("/v1/messages", BANK_KEY, "x".repeat(BODY_LIMIT + 1)).statusCode())
                .as("other routes keep the body limit").isEqualTo(413);
    }

    @Test
    void aChunkedUploadOfUnknownLengthIsTakenToo() {
        String id = bank.createText("Chunked", "Spring sale", 10).getCampaignId();
        byte[] body = csv(5_000, 20_000_000).getBytes(StandardCharsets.UTF_8);
        // A publisher of unknown length: the client sends the body chunked.
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> response = TestHttp.send(http.newRequest("/v1/campaigns/" + id + "/audience", BANK_KEY)
                .header("Content-Type", "text/csv").POST(chunked).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(bank.get(id).getAudience().getRecipients()).isEqualTo(4_500);
    }

    @Test
    void anUploadOverTheLimitIsRefusedWith413() {
        String id = bank.createText("Too large", "Spring sale", 10).getCampaignId();
        // With Expect: 100-continue (curl's way with large files) the refusal comes before any of the
        // body is sent, and the connection closes after it.
        try (RawHttp raw = RawHttp.connect(gateway.gateway().httpPort())) {
            raw.write("POST /v1/campaigns/" + id + "/audience HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + BANK_KEY + "\r\nContent-Type: text/csv\r\n"
                    + "Content-Length: " + (UPLOAD_LIMIT + 1) + "\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response response = raw.readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).contains("PAYLOAD_TOO_LARGE");
            assertThat(raw.isClosedByServer()).isTrue();
        }
        assertThat(bank.get(id).getAudience().getRecipients()).isZero();
    }

    @Test
    void aWrongKeyIsRefusedAndNothingIsKept() {
        String id = bank.createText("Keyless", "Spring sale", 10).getCampaignId();
        HttpResponse<String> response = new CampaignRequests(http, "olk_wrong").uploadRaw(id, "text/csv", csv(1_000, 40_000_000));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(bank.get(id).getAudience().getRows()).isZero();
    }
}
