package org.optline.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;

import com.google.protobuf.util.JsonFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.consent.ConsentClass;
import org.optline.core.recipient.PhoneNumber;
import org.optline.storage.rocksdb.RocksConsentRequestStore;
import org.optline.storage.rocksdb.RocksConsentStore;
import org.optline.storage.rocksdb.RocksStorage;
import org.optline.proto.v1.ErasureAck;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.server.Gateway;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/** Right to erasure on the durable store: consents, trail, queue and idempotency go; a keyed record stays. */
class ErasureTest {
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

    private static MessageResult send(TestHttp http, String clientId, String recipient) throws Exception {
        HttpResponse<String> response = http.postJson("/v1/messages", BANK_KEY,
                TestHttp.message(clientId, recipient, "TRANSACTIONAL", "Your balance is 7 EUR"));
        MessageResult.Builder result = MessageResult.newBuilder();
        JsonFormat.parser().merge(response.body(), result);
        return result.build();
    }

    private ErasureAck erase(String recipient) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.httpPort() + "/v1/recipients/"
                                + recipient.replace("+", "%2B")))
                .header("Authorization", "Bearer " + PLATFORM_KEY).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(recipient.substring(1));
        ErasureAck.Builder ack = ErasureAck.newBuilder();
        JsonFormat.parser().merge(response.body(), ack);
        return ack.build();
    }

    @Test
    void anErasedPersonLeavesOnlyAKeyedRecordThatTheErasureHappened() throws Exception {
        TestHttp http = start();
        String recipient = Recipients.next();
        http.optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        MessageResult first = send(http, "erase-1", recipient);
        send(http, "erase-2", recipient);
        assertThat(first.getReason()).isEqualTo(Reason.ACCEPTED);
        String encoded = recipient.replace("+", "%2B");

        ErasureAck ack = erase(recipient);

        assertThat(ack.getMessagesRemoved()).isEqualTo(2);
        assertThat(ack.getErasureId()).matches("[0-9a-f]{32}");
        assertThat(http.get("/v1/consents/" + encoded, PLATFORM_KEY).body()).doesNotContain("businessId");
        assertThat(http.get("/v1/consents/" + encoded + "/events", PLATFORM_KEY).body()).doesNotContain("events");
        assertThat(http.get("/v1/inbox/" + encoded, PLATFORM_KEY).body()).doesNotContain("messageId");
        assertThat(http.get("/v1/messages/" + first.getMessageId(), BANK_KEY).statusCode()).isEqualTo(404);
        MessageResult retry = send(http, "erase-1", recipient);
        assertThat(retry.getDuplicate()).as("the idempotency entry went with the message").isFalse();
        assertThat(retry.getReason()).as("no consent survives an erasure").isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(erase(recipient).getErasureId()).as("the same person, the same record").isEqualTo(ack.getErasureId());

        gateway.close();
        gateway = null;
        try (RocksStorage storage = RocksStorage.open(dataDir.resolve(Gateway.STORE_DIRECTORY))) {
            assertThat(new RocksConsentStore(storage).erasedAt(ack.getErasureId())).isPresent();
        }
    }

    @Test
    void anErasureRemovesTheConsentRequestsBusinessesMadeToThePersonToo() throws Exception {
        TestHttp http = start();
        String recipient = Recipients.next();
        String encoded = recipient.replace("+", "%2B");
        assertThat(http.postJson("/v1/consent-requests", BANK_KEY,
                "{\"recipient\":\"" + recipient + "\",\"consentClass\":\"MARKETING_CLASS\"}").statusCode())
                .isEqualTo(200);
        assertThat(http.get("/v1/consent-requests/" + encoded, BANK_KEY).body()).contains("OPEN");

        erase(recipient);

        assertThat(http.get("/v1/consent-requests/" + encoded, BANK_KEY).body())
                .as("no request survives the erasure").doesNotContain("OPEN");
        gateway.close();
        gateway = null;
        try (RocksStorage storage = RocksStorage.open(dataDir.resolve(Gateway.STORE_DIRECTORY))) {
            PhoneNumber number = PhoneNumber.parse(recipient).orElseThrow();
            assertThat(new RocksConsentRequestStore(storage).lastAsked(BANK, number, ConsentClass.MARKETING).join())
                    .as("nothing kept under the number on disk").isEmpty();
        }
    }
}
