package org.optline.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;
import static org.optline.server.testing.TestHttp.message;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.ErrorBody;
import org.optline.proto.v1.InboxPage;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesResponse;
import org.optline.server.Gateway;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;
import org.optline.storage.rocksdb.RocksStorageEngine;
import org.optline.storage.rocksdb.StoreFaultInjection;

/**
 * Storage faults as senders, the platform and the operator see them, on a durable gateway over a
 * real store on disk: a full disk (injected into the store's writer) is STORAGE_UNAVAILABLE over
 * HTTP and TCP, 503 for a consent change, not ready, one ERROR line when it begins and one when
 * it ends, and over by itself; a damaged table file is found at start; the newest write-ahead
 * log damaged after a clean stop loses nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StorageFaultsTest {
    private static final String ALERT = "Your card ending 4242 was charged 12.50 EUR at Cafe Nord.";

    @TempDir
    Path dataDir;

    private Gateway gateway;
    private RocksStorageEngine engine;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private PrintStream originalErr;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (originalErr != null) {
            System.setErr(originalErr);
        }
    }

    private Path store() {
        return dataDir.resolve(Gateway.STORE_DIRECTORY);
    }

    private TestHttp start() throws InterruptedException {
        var config = GatewayExtension.durableConfig(dataDir);
        engine = RocksStorageEngine.open(store(), InstantSource.system(), config.idempotencyWindow());
        gateway = new Gateway(config, InstantSource.system(), engine).start();
        return TestHttp.on(gateway.httpPort());
    }

    private void stopGateway() {
        gateway.close();
        gateway = null;
    }

    /** Keeps every line written to standard error (where the gateway logs) from now on, and still prints it. */
    private void captureLog() {
        originalErr = System.err;
        PrintStream original = originalErr;
        System.setErr(new PrintStream(new java.io.OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                original.write(b);
                if (b == '\n') {
                    logged.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    private List<String> logLines(String containing) {
        return logged.stream().filter(l -> l.contains(containing)).toList();
    }

    private static <B extends com.google.protobuf.Message.Builder> B parse(String json, B builder) {
        try {
            JsonFormat.parser().merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException("not a valid " + builder.getDescriptorForType().getName() + ": " + json, e);
        }
    }

    private static String consentChange(String recipient, String action) {
        return "{\"recipient\":\"" + recipient + "\",\"businessId\":\"" + BANK + "\",\"action\":\"" + action
                + "\",\"consentClass\":\"TRANSACTIONAL_CLASS\"}";
    }

    private static double metric(TestHttp http, String series) {
        for (String line : http.get("/metrics", null).body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + series);
    }

    private static void awaitReady(TestHttp http) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (http.get("/health/ready", null).statusCode() != 200 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void aFullDiskIsStorageUnavailableEverywhereNotReadyLoggedOnceEachWayAndOverByItself() throws Exception {
        TestHttp http = start();
        String recipient = Recipients.next();
        http.optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        captureLog();

        StoreFaultInjection.diskIsFull(engine);

        HttpResponse<String> one = http.postJson("/v1/messages", BANK_KEY,
                message("full-1", recipient, "TRANSACTIONAL", ALERT));
        assertThat(one.statusCode()).as(one.body()).isEqualTo(503);
        assertThat(one.headers().firstValue("Retry-After")).hasValue("5");
        MessageResult refused = parse(one.body(), MessageResult.newBuilder()).build();
        assertThat(refused.getReason()).isEqualTo(Reason.STORAGE_UNAVAILABLE);
        assertThat(refused.getRetryAfterMs()).isEqualTo(5_000);
        assertThat(refused.getDetail()).contains("disk is full").contains("nothing was queued")
                .doesNotContain(recipient);

        HttpResponse<String> consent = http.putJson("/v1/consents", PLATFORM_KEY,
                consentChange(recipient, "OPT_OUT"));
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(503);
        assertThat(consent.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(parse(consent.body(), ErrorBody.newBuilder()).getReason()).isEqualTo("STORAGE_UNAVAILABLE");

        List<MessageResult> overTcp = new CopyOnWriteArrayList<>();
        try (PipelinedClient tcp = PipelinedClient.connect(gateway.tcpPort(), BANK_KEY, 4, overTcp::add)) {
            tcp.submit(List.of(alert("full-tcp-1", recipient), alert("full-tcp-2", recipient)));
            assertThat(tcp.awaitAllAnswered(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(overTcp).hasSize(2).allSatisfy(r -> {
            assertThat(r.getReason()).isEqualTo(Reason.STORAGE_UNAVAILABLE);
            assertThat(r.getRetryAfterMs()).isEqualTo(5_000);
        });

        HttpResponse<String> ready = http.get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"status\":\"NOT_READY\",\"reason\":\"STORAGE_UNAVAILABLE\"}");
        assertThat(metric(http, "optline_storage_fault{fault=\"disk_full\"}")).isEqualTo(1.0);
        assertThat(metric(http, "optline_storage_faults_total{fault=\"disk_full\"}")).isEqualTo(1.0);
        assertThat(http.get("/v1/consents/" + recipient.replace("+", "%2B"), PLATFORM_KEY).statusCode())
                .as("reads are still served").isEqualTo(200);
        assertThat(logLines("storage fault DISK_FULL began")).singleElement().asString()
                .contains("ERROR").contains("is full").contains(store().toString());

        StoreFaultInjection.diskHasRoomAgain(engine);
        awaitReady(http);

        assertThat(http.get("/health/ready", null).body()).isEqualTo("{\"status\":\"READY\"}");
        assertThat(logLines("storage fault DISK_FULL ended")).singleElement().asString().contains("ERROR");
        assertThat(logLines("storage fault DISK_FULL began")).hasSize(1);
        assertThat(metric(http, "optline_storage_fault{fault=\"disk_full\"}")).isEqualTo(0.0);
        MessageResult retried = parse(http.postJson("/v1/messages", BANK_KEY,
                message("full-1", recipient, "TRANSACTIONAL", ALERT)).body(), MessageResult.newBuilder()).build();
        assertThat(retried.getReason()).as("the refused message, retried, is taken afresh").isEqualTo(Reason.ACCEPTED);
        assertThat(retried.getDuplicate()).isFalse();
        assertThat(logged).noneMatch(l -> l.contains(recipient) || l.contains(recipient.substring(1)));
    }

    private static Message alert(String clientMessageId, String recipient) {
        return Message.newBuilder().setClientMessageId(clientMessageId).setRecipient(recipient)
                .setDeclaredCategory(Category.TRANSACTIONAL).setText(ALERT).build();
    }

    @Test
    void aDamagedTableFileIsFoundAtStartTheNodeIsNotReadyAndServesOnlyWhatIsWhole() throws Exception {
        TestHttp http = start();
        // The first sorts before the second, so that its queue fills the table file's first blocks.
        String[] recipients = {Recipients.next(), Recipients.next()};
        Arrays.sort(recipients);
        String many = recipients[0];
        String few = recipients[1];
        http.optIn(many, BANK, "TRANSACTIONAL_CLASS");
        http.optIn(few, BANK, "TRANSACTIONAL_CLASS");
        for (int i = 0; i < 40; i++) {
            StringBuilder batch = new StringBuilder("{\"messages\":[");
            for (int j = 0; j < 10; j++) {
                batch.append(j == 0 ? "" : ",").append(message("many-" + i + "-" + j, many, "TRANSACTIONAL",
                        ALERT + " Reference " + "0123456789abcdef".repeat(40)));
            }
            assertThat(http.postJson("/v1/messages", BANK_KEY, batch.append("]}").toString()).statusCode())
                    .isEqualTo(200);
        }
        List<String> fewIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fewIds.add(parse(http.postJson("/v1/messages", BANK_KEY, message("few-" + i, few, "TRANSACTIONAL", ALERT))
                    .body(), MessageResult.newBuilder()).getMessageId());
        }
        stopGateway();
        Path table = StoreFaultInjection.largestTableFile(store(), "inbox");
        try (RandomAccessFile file = new RandomAccessFile(table.toFile(), "rw")) {
            file.seek(file.length() / 3);
            file.write(new byte[64]);
        }
        Map<String, byte[]> before = files(store());
        captureLog();

        http = start();

        assertThat(logLines("storage fault CORRUPT began")).singleElement().asString()
                .contains("ERROR").contains("column family inbox").contains(table.getFileName().toString())
                .doesNotContain(many.substring(1)).doesNotContain(few.substring(1));
        HttpResponse<String> ready = http.get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"status\":\"NOT_READY\",\"reason\":\"STORE_CORRUPT\"}");
        assertThat(metric(http, "optline_storage_fault{fault=\"corrupt\"}")).isEqualTo(1.0);

        HttpResponse<String> damaged = http.get("/v1/inbox/" + many.replace("+", "%2B") + "?max=1000", PLATFORM_KEY);
        assertThat(damaged.statusCode()).as("a queue through the damage is an error, never a shorter queue: %s",
                damaged.body()).isEqualTo(503);
        assertThat(parse(damaged.body(), ErrorBody.newBuilder()).getReason()).isEqualTo("STORE_CORRUPT");
        // What is whole is still read (a message's status is a read), but handing the inbox out
        // takes a lease, which is a write that a damaged store no longer takes.
        for (String id : fewIds) {
            HttpResponse<String> status = http.get("/v1/messages/" + id, BANK_KEY);
            assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
            assertThat(status.body()).contains("\"QUEUED\"");
        }
        HttpResponse<String> lease = http.get("/v1/inbox/" + few.replace("+", "%2B"), PLATFORM_KEY);
        assertThat(lease.statusCode()).as(lease.body()).isEqualTo(503);

        HttpResponse<String> submit = http.postJson("/v1/messages", BANK_KEY,
                message("after-damage", few, "TRANSACTIONAL", ALERT));
        assertThat(submit.statusCode()).isEqualTo(503);
        assertThat(parse(submit.body(), MessageResult.newBuilder()).getReason()).isEqualTo(Reason.STORAGE_UNAVAILABLE);
        assertThat(http.putJson("/v1/consents", PLATFORM_KEY, consentChange(few, "OPT_OUT")).statusCode())
                .isEqualTo(503);
        assertThat(logLines("storage fault CORRUPT")).as("logged once, however often the damage is met").hasSize(1);

        stopGateway();
        assertThat(files(store())).as("nothing in the damaged store was changed").usingRecursiveComparison()
                .isEqualTo(before);
    }

    @ParameterizedTest(name = "newest log {0}")
    @ValueSource(strings = {"cut in half", "emptied", "deleted"})
    void theNewestLogDamagedAfterACleanStopLosesNothingAndARetryIsADuplicate(String damage) throws Exception {
        TestHttp http = start();
        String recipient = Recipients.next();
        http.optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        Map<String, String> accepted = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            StringBuilder batch = new StringBuilder("{\"messages\":[");
            for (int j = 0; j < 10; j++) {
                batch.append(j == 0 ? "" : ",").append(message("wal-" + i + "-" + j, recipient, "TRANSACTIONAL", ALERT));
            }
            SubmitMessagesResponse answer = parse(http.postJson("/v1/messages", BANK_KEY,
                    batch.append("]}").toString()).body(), SubmitMessagesResponse.newBuilder()).build();
            answer.getResultsList().forEach(r -> {
                assertThat(r.getReason()).isEqualTo(Reason.ACCEPTED);
                accepted.put(r.getClientMessageId(), r.getMessageId());
            });
        }
        stopGateway();

        Path wal;
        try (Stream<Path> files = Files.list(store())) {
            wal = files.filter(p -> p.toString().endsWith(".log"))
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
        }
        switch (damage) {
            case "cut in half" -> {
                try (RandomAccessFile file = new RandomAccessFile(wal.toFile(), "rw")) {
                    file.setLength(file.length() / 2);
                }
            }
            case "emptied" -> Files.write(wal, new byte[0]);
            default -> Files.delete(wal);
        }
        http = start();

        assertThat(http.get("/health/ready", null).statusCode()).isEqualTo(200);
        for (Map.Entry<String, String> each : accepted.entrySet()) {
            MessageResult again = parse(http.postJson("/v1/messages", BANK_KEY,
                    message(each.getKey(), recipient, "TRANSACTIONAL", ALERT)).body(), MessageResult.newBuilder())
                    .build();
            assertThat(again.getDuplicate()).as("%s, retried, is a duplicate", each.getKey()).isTrue();
            assertThat(again.getMessageId()).isEqualTo(each.getValue());
        }
        HttpResponse<String> inbox = http.get("/v1/inbox/" + recipient.replace("+", "%2B") + "?max=1000",
                PLATFORM_KEY);
        assertThat(parse(inbox.body(), InboxPage.newBuilder()).getMessagesCount()).isEqualTo(accepted.size());
    }

    private static Map<String, byte[]> files(Path store) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(store)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (Files.isRegularFile(p)) {
                    files.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }
}
