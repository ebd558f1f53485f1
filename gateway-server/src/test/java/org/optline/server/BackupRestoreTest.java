package org.optline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;
import static org.optline.server.testing.TestHttp.message;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.proto.v1.BackupResult;
import org.optline.proto.v1.ErrorBody;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.RecipientConsents;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * The shipped backup and restore, end to end: messages and consents accepted over the API, an
 * online backup ({@code POST /v1/operations/backup}) while messages keep coming, the {@code
 * restore} command into a fresh data directory, and a gateway started there: every message
 * accepted before the backup is queued, its retry is a duplicate, every consent is as it was.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BackupRestoreTest {
    private static final String ALERT = "Your card ending 4242 was charged 12.50 EUR at Cafe Nord.";

    @TempDir
    Path temp;

    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void stop() {
        gateways.forEach(Gateway::close);
    }

    private TestHttp start(Path dataDir) throws InterruptedException {
        Gateway gateway = Gateway.durable(GatewayExtension.durableConfig(dataDir), InstantSource.system()).start();
        gateways.add(gateway);
        return TestHttp.on(gateway.httpPort());
    }

    private static <B extends com.google.protobuf.Message.Builder> B parse(String json, B builder) {
        try {
            JsonFormat.parser().merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException("not a valid " + builder.getDescriptorForType().getName() + ": " + json, e);
        }
    }

    @Test
    void anOnlineBackupRestoredIntoAFreshDataDirectoryHoldsEveryAcceptedMessageAndConsent() throws Exception {
        TestHttp http = start(temp.resolve("data"));
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String recipient = Recipients.next();
            http.optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
            recipients.add(recipient);
        }
        http.consent(recipients.get(0), BANK, "OPT_OUT", "TRANSACTIONAL_CLASS");
        http.consent(recipients.get(1), null, "MARKETING_OFF", null);
        Map<String, MessageResult> accepted = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            String recipient = recipients.get(1 + i % 4);
            MessageResult result = parse(http.postJson("/v1/messages", BANK_KEY,
                    message("before-" + i, recipient, "TRANSACTIONAL", ALERT)).body(), MessageResult.newBuilder()).build();
            assertThat(result.getReason()).isEqualTo(Reason.ACCEPTED);
            accepted.put(result.getClientMessageId(), result);
        }
        Map<String, RecipientConsents> consents = new LinkedHashMap<>();
        for (String recipient : recipients) {
            consents.put(recipient, parse(http.get("/v1/consents/" + recipient.replace("+", "%2B"), PLATFORM_KEY)
                    .body(), RecipientConsents.newBuilder()).build());
        }
        AtomicBoolean sending = new AtomicBoolean(true);
        TestHttp meanwhile = http;
        CompletableFuture<Integer> during = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            while (sending.get()) {
                meanwhile.postJson("/v1/messages", BANK_KEY,
                        message("during-" + n++, recipients.get(2), "TRANSACTIONAL", ALERT));
            }
            return n;
        });

        HttpResponse<String> answer = http.postJson("/v1/operations/backup", PLATFORM_KEY, "{\"name\":\"nightly\"}");
        sending.set(false);
        assertThat(during.get(20, TimeUnit.SECONDS)).as("messages kept coming during the backup").isPositive();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        BackupResult backup = parse(answer.body(), BackupResult.newBuilder()).build();
        assertThat(backup.getName()).isEqualTo("nightly");
        assertThat(Path.of(backup.getDirectory())).isEqualTo(temp.resolve("data").resolve("backups").resolve("nightly"));
        assertThat(backup.getCommit()).isPositive();
        assertThat(backup.getTableFiles()).isPositive();

        HttpResponse<String> again = http.postJson("/v1/operations/backup", PLATFORM_KEY, "{\"name\":\"nightly\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(parse(again.body(), ErrorBody.newBuilder()).getReason()).isEqualTo("BACKUP_EXISTS");
        assertThat(http.postJson("/v1/operations/backup", PLATFORM_KEY, "{\"name\":\"../escape\"}").statusCode())
                .isEqualTo(400);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = RestoreCommand.run(new String[] {"--from", backup.getDirectory(), "--data-dir",
                temp.resolve("fresh").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Restored").contains("checked");

        // The keys are not in the backup: they are restored from the key backup.
        GatewayExtension.copyKeys(temp.resolve("data"), temp.resolve("fresh"));
        TestHttp restored = start(temp.resolve("fresh"));
        assertThat(restored.get("/health/ready", null).statusCode()).isEqualTo(200);
        for (MessageResult first : accepted.values()) {
            assertThat(restored.get("/v1/messages/" + first.getMessageId(), BANK_KEY).statusCode())
                    .as("%s is queued", first.getClientMessageId()).isEqualTo(200);
            MessageResult retry = parse(restored.postJson("/v1/messages", BANK_KEY, message(first.getClientMessageId(),
                    recipients.get(1), "TRANSACTIONAL", ALERT)).body(), MessageResult.newBuilder()).build();
            assertThat(retry).as("a retry of %s", first.getClientMessageId())
                    .isEqualTo(first.toBuilder().setDuplicate(true).build());
        }
        for (Map.Entry<String, RecipientConsents> each : consents.entrySet()) {
            assertThat(parse(restored.get("/v1/consents/" + each.getKey().replace("+", "%2B"), PLATFORM_KEY).body(),
                    RecipientConsents.newBuilder()).build()).isEqualTo(each.getValue());
        }
    }

    /** Runs scripts/backup.sh against this gateway; returns its exit code and output. */
    private static Map.Entry<Integer, String> backupScript(int port, String key, String... args) throws Exception {
        Path script = Path.of("..", "scripts", "backup.sh").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OPTLINE_URL", "http://127.0.0.1:" + port);
        builder.environment().put("OPTLINE_PLATFORM_KEY", key);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return Map.entry(process.exitValue(), output);
    }

    @Test
    void theShippedScriptBacksUpOnlineAndCopiesTheBackupOffTheGatewaysDisk() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new ProcessBuilder("sh", "-c", "command -v curl").start().waitFor() == 0, "curl is not installed");
        TestHttp http = start(temp.resolve("data"));
        String recipient = Recipients.next();
        http.optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        MessageResult accepted = parse(http.postJson("/v1/messages", BANK_KEY,
                message("scripted", recipient, "TRANSACTIONAL", ALERT)).body(), MessageResult.newBuilder()).build();
        Path offsite = java.nio.file.Files.createDirectories(temp.resolve("offsite"));

        Map.Entry<Integer, String> refused = backupScript(gateways.get(0).httpPort(), "olp_wrong_key", "--name", "x");
        assertThat(refused.getKey()).as(refused.getValue()).isEqualTo(1);
        assertThat(refused.getValue()).contains("HTTP 401");
        Map.Entry<Integer, String> made = backupScript(gateways.get(0).httpPort(), PLATFORM_KEY,
                "--name", "scripted", "--copy-to", offsite.toString());

        assertThat(made.getKey()).as(made.getValue()).isZero();
        assertThat(made.getValue()).contains("\"name\":\"scripted\"").contains("copied to " + offsite.resolve("scripted"));
        Path copy = offsite.resolve("scripted");
        Path original = temp.resolve("data/backups/scripted");
        try (var files = java.nio.file.Files.list(copy)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                assertThat(java.nio.file.Files.isSameFile(file, original.resolve(file.getFileName())))
                        .as("%s is a copy, not a link to the gateway's disk", file.getFileName()).isFalse();
            }
        }
        assertThat(RestoreCommand.run(new String[] {"--from", copy.toString(), "--data-dir",
                temp.resolve("fresh").toString()}, System.out, System.err)).isZero();
        // The keys are not in the backup: they are restored from the key backup.
        GatewayExtension.copyKeys(temp.resolve("data"), temp.resolve("fresh"));
        TestHttp restored = start(temp.resolve("fresh"));
        assertThat(restored.get("/v1/messages/" + accepted.getMessageId(), BANK_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void aNodeInMemoryHasNothingToBackUp() throws Exception {
        Gateway gateway = Gateway.inMemory(GatewayExtension.testConfig().build(), InstantSource.system()).start();
        gateways.add(gateway);

        HttpResponse<String> answer = TestHttp.on(gateway.httpPort()).postJson("/v1/operations/backup", PLATFORM_KEY,
                "");

        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(parse(answer.body(), ErrorBody.newBuilder()).getReason()).isEqualTo("NOT_DURABLE");
    }
}
