package org.optline.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;
import static org.optline.server.testing.TestBusinesses.SHOP;
import static org.optline.server.testing.TestBusinesses.SHOP_KEY;
import static org.optline.server.testing.TestHttp.message;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optline.core.storage.StorageException;
import org.optline.proto.v1.BusinessConsent;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.MessageStatus;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.RecipientConsents;
import org.optline.server.Gateway;
import org.optline.server.config.GatewayConfig;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * A durable gateway stopped cleanly and started again on the same data directory finds its
 * consents, queues and idempotency records where it left them; a directory in use or a store
 * that is corrupt fails the start with a message that says so, and nothing is emptied.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartTest {
    private static final String MESSAGES = "/v1/messages";
    private static final String CONSENTS = "/v1/consents";
    private static final String ALERT = "Your card ending 4242 was charged 12.50 EUR at Cafe Nord.";

    @TempDir
    Path dataDir;

    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private GatewayConfig config() {
        return GatewayExtension.durableConfig(dataDir);
    }

    private TestHttp start() throws InterruptedException {
        gateway = Gateway.durable(config(), InstantSource.system()).start();
        return TestHttp.on(gateway.httpPort());
    }

    private void stopGateway() {
        gateway.close();
        gateway = null;
    }

    private Path storeDirectory() {
        return dataDir.resolve(Gateway.STORE_DIRECTORY);
    }

    @Test
    void consentsQueuedMessagesAndIdempotencyRecordsOutliveACleanRestart() throws Exception {
        TestHttp http = start();
        String optedIn = Recipients.next();
        http.optIn(optedIn, BANK, "TRANSACTIONAL_CLASS");
        http.optIn(optedIn, SHOP, "MARKETING_CLASS");
        String optedOut = Recipients.next();
        http.optIn(optedOut, BANK, "TRANSACTIONAL_CLASS");
        http.consent(optedOut, BANK, "OPT_OUT", "TRANSACTIONAL_CLASS");
        String blocked = Recipients.next();
        http.optIn(blocked, SHOP, "TRANSACTIONAL_CLASS");
        http.consent(blocked, SHOP, "BLOCK", null);
        http.consent(blocked, null, "MARKETING_OFF", null);
        String stranger = Recipients.next();

        MessageResult accepted = submit(http, BANK_KEY, message("restart-accepted", optedIn, "TRANSACTIONAL", ALERT));
        MessageResult notOptedIn = submit(http, BANK_KEY,
                message("restart-not-opted-in", stranger, "TRANSACTIONAL", ALERT));
        MessageResult optedOutFirst = submit(http, BANK_KEY,
                message("restart-opted-out", optedOut, "TRANSACTIONAL", ALERT));
        MessageResult blockedFirst = submit(http, SHOP_KEY,
                message("restart-blocked", blocked, "TRANSACTIONAL", "Your parcel 1234 has shipped."));
        assertThat(accepted.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(notOptedIn.getReason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(optedOutFirst.getReason()).isEqualTo(Reason.OPTED_OUT);
        assertThat(blockedFirst.getReason()).isEqualTo(Reason.BLOCKED);
        MessageStatus statusBefore = status(http, accepted.getMessageId());
        Map<String, RecipientConsents> consentsBefore = new TreeMap<>();
        for (String recipient : new String[] {optedIn, optedOut, blocked, stranger}) {
            consentsBefore.put(recipient, consents(http, recipient));
        }

        stopGateway();
        http = start();

        for (Map.Entry<String, RecipientConsents> before : consentsBefore.entrySet()) {
            assertThat(consents(http, before.getKey())).isEqualTo(before.getValue());
        }
        assertThat(consentsBefore.get(optedOut).getBusinessesList()).containsExactly(BusinessConsent.newBuilder()
                .setBusinessId(BANK).setTransactional(BusinessConsent.State.OPTED_OUT).build());
        assertThat(consentsBefore.get(blocked).getMarketingOffEverywhere()).isTrue();

        assertThat(status(http, accepted.getMessageId())).isEqualTo(statusBefore);
        assertThat(statusBefore.getClientMessageId()).isEqualTo("restart-accepted");
        assertThat(statusBefore.getState()).isEqualTo(MessageStatus.State.QUEUED);

        MessageResult acceptedAgain = submit(http, BANK_KEY,
                message("restart-accepted", optedIn, "TRANSACTIONAL", ALERT));
        assertThat(acceptedAgain).isEqualTo(accepted.toBuilder().setDuplicate(true).build());
        MessageResult refusedAgain = submit(http, BANK_KEY,
                message("restart-not-opted-in", stranger, "TRANSACTIONAL", ALERT));
        assertThat(refusedAgain).isEqualTo(notOptedIn.toBuilder().setDuplicate(true).build());

        MessageResult fresh = submit(http, BANK_KEY, message("restart-new", optedIn, "TRANSACTIONAL", ALERT));
        assertThat(fresh.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(fresh.getDuplicate()).isFalse();
        assertThat(fresh.getMessageId()).isNotEqualTo(accepted.getMessageId());
        assertThat(submit(http, BANK_KEY, message("restart-new-opted-out", optedOut, "TRANSACTIONAL", ALERT))
                .getReason()).isEqualTo(Reason.OPTED_OUT);
        assertThat(submit(http, SHOP_KEY,
                message("restart-new-blocked", blocked, "TRANSACTIONAL", "Your parcel 5678 has shipped."))
                .getReason()).isEqualTo(Reason.BLOCKED);
        assertThat(status(http, fresh.getMessageId()).getClientMessageId()).isEqualTo("restart-new");
    }

    @Test
    void aSecondGatewayOnADataDirectoryInUseFailsFastWithAClearMessage() throws Exception {
        start();

        assertThatThrownBy(() -> Gateway.durable(config(), InstantSource.system()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("in use")
                .hasMessageContaining(storeDirectory().toString());

        stopGateway();
        TestHttp http = start();
        assertThat(http.get("/health/ready", null).statusCode()).as("the directory is free again").isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} overwritten with garbage")
    @ValueSource(strings = {"CURRENT", "MANIFEST"})
    void aCorruptStoreFailsTheStartWithAClearMessageAndIsLeftInPlace(String file) throws Exception {
        TestHttp http = start();
        String recipient = Recipients.next();
        http.optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        assertThat(submit(http, BANK_KEY, message("before-corruption", recipient, "TRANSACTIONAL", ALERT))
                .getReason()).isEqualTo(Reason.ACCEPTED);
        stopGateway();

        Path store = storeDirectory();
        String manifest = Files.readString(store.resolve("CURRENT"), StandardCharsets.US_ASCII).trim();
        Path target = store.resolve(file.equals("CURRENT") ? "CURRENT" : manifest);
        Files.write(target, garbage((int) Math.max(64, Files.size(target))));
        Map<String, byte[]> before = storeFiles(store);

        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> Gateway.durable(config(), InstantSource.system()))
                    .as("attempt %d", attempt)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("corrupt")
                    .hasMessageContaining(store.toString());
            Map<String, byte[]> after = storeFiles(store);
            assertThat(after.keySet()).as("no file of the store is deleted").containsAll(before.keySet());
            for (Map.Entry<String, byte[]> kept : before.entrySet()) {
                assertThat(after.get(kept.getKey())).as("%s is unchanged", kept.getKey())
                        .isEqualTo(kept.getValue());
            }
        }
    }

    /** Bytes that are no RocksDB file, and (for CURRENT) hold no line break. */
    private static byte[] garbage(int length) {
        byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                bytes[i] = 'x';
            }
        }
        return bytes;
    }

    /** The store's files and their contents, leaving out RocksDB's own info logs (rotated on every open). */
    private static Map<String, byte[]> storeFiles(Path store) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(store)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith("LOG") && Files.isRegularFile(p)) {
                    files.put(name, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    private static MessageResult submit(TestHttp http, String key, String json) {
        HttpResponse<String> response = http.postJson(MESSAGES, key, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(response.body(), MessageResult.newBuilder()).build();
    }

    private static MessageStatus status(TestHttp http, String messageId) {
        HttpResponse<String> response = http.get(MESSAGES + "/" + messageId, BANK_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(response.body(), MessageStatus.newBuilder()).build();
    }

    private static RecipientConsents consents(TestHttp http, String recipient) {
        HttpResponse<String> response = http.get(CONSENTS + "/" + recipient, PLATFORM_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(response.body(), RecipientConsents.newBuilder()).build();
    }

    private static <B extends com.google.protobuf.Message.Builder> B parse(String json, B builder) {
        try {
            JsonFormat.parser().merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException("not a valid " + builder.getDescriptorForType().getName() + ": " + json, e);
        }
    }
}
