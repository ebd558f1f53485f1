package org.optline.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;

import com.google.protobuf.util.JsonFormat;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.proto.v1.AckResponse;
import org.optline.proto.v1.InboxPage;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.QueuedMessage;
import org.optline.server.Gateway;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * The delivery side consumes a recipient's queue on the durable store: pulled in order under a
 * lease, acknowledged, out of the queue and DELIVERED; leases and statuses survive a restart.
 */
class InboxTest {
    @TempDir
    Path dataDir;

    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private TestHttp start() throws InterruptedException {
        gateway = Gateway.durable(GatewayExtension.durableConfig(dataDir), InstantSource.system()).start();
        return TestHttp.on(gateway.httpPort());
    }

    @Test
    void acknowledgedMessagesLeaveTheQueueAndStayGoneAfterARestart() throws Exception {
        TestHttp http = start();
        String recipient = Recipients.next();
        http.optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        List<String> accepted = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> response = http.postJson("/v1/messages", BANK_KEY,
                    TestHttp.message("inbox-" + i, recipient, "TRANSACTIONAL", "Your parcel " + i + " has shipped"));
            MessageResult.Builder result = MessageResult.newBuilder();
            JsonFormat.parser().merge(response.body(), result);
            accepted.add(result.getMessageId());
        }
        String path = "/v1/inbox/" + recipient.replace("+", "%2B");

        assertThat(inbox(http, path + "?max=2")).extracting(QueuedMessage::getMessageId)
                .containsExactlyElementsOf(accepted.subList(0, 2));
        // The first two are leased to that reader; the third, of the same business and category, waits for them.
        assertThat(inbox(http, path + "?max=10")).as("a second reader").isEmpty();
        assertThat(http.get(path, BANK_KEY).statusCode()).as("a business key cannot read an inbox").isEqualTo(403);

        HttpResponse<String> ack = http.postJson(path + "/ack", PLATFORM_KEY,
                "{\"messageIds\":[\"" + accepted.get(0) + "\",\"" + accepted.get(1) + "\",\"not-an-id\"]}");
        AckResponse.Builder removed = AckResponse.newBuilder();
        JsonFormat.parser().merge(ack.body(), removed);
        assertThat(removed.getRemoved()).isEqualTo(2);
        assertThat(inbox(http, path + "?max=10")).as("the second reader, now")
                .extracting(QueuedMessage::getMessageId).containsExactly(accepted.get(2));
        // Delivered: gone from the queue, and its status says so (it was a 404 before statuses were kept).
        HttpResponse<String> status = http.get("/v1/messages/" + accepted.get(0), BANK_KEY);
        assertThat(status.body()).contains("\"state\":\"DELIVERED\"");

        gateway.close();
        http = start();
        // Leases are durable: after a restart the third is still the second reader's, who acknowledges it.
        assertThat(inbox(http, path)).isEmpty();
        assertThat(http.postJson(path + "/ack", PLATFORM_KEY, "{\"messageIds\":[\"" + accepted.get(2) + "\"]}").body())
                .isEqualTo("{\"removed\":1}");
        assertThat(http.get("/v1/messages/" + accepted.get(0), BANK_KEY).body()).contains("\"state\":\"DELIVERED\"");
        assertThat(http.get(path + "?max=0", PLATFORM_KEY).statusCode()).isEqualTo(400);
    }

    private static List<QueuedMessage> inbox(TestHttp http, String path) throws Exception {
        HttpResponse<String> response = http.get(path, PLATFORM_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        InboxPage.Builder page = InboxPage.newBuilder();
        JsonFormat.parser().merge(response.body(), page);
        return page.getMessagesList();
    }
}
