package org.optline.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Credential;
import org.optline.core.storage.StorageException;
import org.optline.server.Gateway;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestHttp;
import org.optline.storage.rocksdb.RocksStorage;

/**
 * A gateway in a child process, killed with SIGKILL, whose newest write-ahead log is then lost:
 * the acknowledged writes it held are gone, and the next start refuses (exit 2, "corrupt ...
 * acknowledged ... Nothing was changed") instead of starting READY without them, and changes
 * nothing. And a restore is refused while a gateway runs on the store.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LostWriteAheadLogTest {
    private static final String BUSINESS = "wal-test";
    private static final String BUSINESS_KEY = "olk_wal_test_key";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern MARK = Pattern.compile("(?m)^commit=(\\d+)$");

    @TempDir
    Path temp;

    private GatewayProcess child;

    @AfterEach
    void killTheChild() {
        if (child != null) {
            child.close();
        }
    }

    private Path writeConfig(Path dataDir) throws IOException {
        Path file = temp.resolve("optline.properties");
        Files.writeString(file, String.join("\n",
                "storage=rocksdb",
                "data.dir=" + dataDir.toString().replace("\\", "\\\\"),
                "http.port=0",
                "tcp.port=0",
                "demo.enabled=false",
                "platform.key-sha256=" + Credential.sha256Hex(TestBusinesses.PLATFORM_KEY),
                "business." + BUSINESS + ".key-sha256=" + Credential.sha256Hex(BUSINESS_KEY),
                "business." + BUSINESS + ".throughput=100000",
                "business." + BUSINESS + ".tier=unlimited",
                ""), StandardCharsets.UTF_8);
        return file;
    }

    private static long mark(Path store) throws IOException {
        Path file = store.resolve("OPTLINE-ACKNOWLEDGED");
        if (!Files.exists(file)) {
            return 0;
        }
        Matcher m = MARK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Waits until the store's mark has caught up with the commits (it follows them about once a
     * second): it has moved past {@code before} and then stayed put for a few of its intervals.
     */
    private static void awaitMarkSettled(Path store, long before) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long seen = mark(store);
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            long now = mark(store);
            if (now != seen) {
                seen = now;
                stableSince = System.nanoTime();
            } else if (seen > before && System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(3_500)) {
                return;
            }
        }
        throw new AssertionError("the mark in " + store + " did not settle (last " + seen + ")");
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

    @Test
    void afterAKillALostWriteAheadLogStopsTheStartAndChangesNothing() throws Exception {
        Path dataDir = temp.resolve("data");
        Path store = dataDir.resolve(Gateway.STORE_DIRECTORY);
        Path config = writeConfig(dataDir);
        child = GatewayProcess.start(config, START_TIMEOUT);
        TestHttp http = TestHttp.on(child.httpPort());
        String recipient = Recipients.next();
        http.optIn(recipient, BUSINESS, "TRANSACTIONAL_CLASS");
        long before = mark(store);
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> answer = http.postJson("/v1/messages", BUSINESS_KEY,
                    TestHttp.message("kill-" + i, recipient, "TRANSACTIONAL", "Your balance is " + i + " EUR."));
            assertThat(answer.body()).contains("\"ACCEPTED\"");
        }
        awaitMarkSettled(store, before);
        child.kill();
        child = null;

        Path newest;
        try (Stream<Path> logs = Files.list(store)) {
            newest = logs.filter(p -> p.toString().endsWith(".log"))
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
        }
        Files.delete(newest);
        Map<String, byte[]> damaged = files(store);

        GatewayProcess.Refused refused = GatewayProcess.startExpectingRefusal(config, START_TIMEOUT);

        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output())
                .contains("the store in " + store + " is corrupt")
                .contains("were acknowledged: a write-ahead log file (*.log) is missing or cut short")
                .contains("Nothing was changed; restore it from a backup")
                .doesNotContain("Optline gateway ready");
        Map<String, byte[]> after = files(store);
        assertThat(after.keySet()).isEqualTo(damaged.keySet());
        damaged.forEach((name, bytes) -> assertThat(after.get(name)).as("%s is unchanged", name).isEqualTo(bytes));
    }

    @Test
    void aRestoreIsRefusedWhileAGatewayRunsOnTheStore() throws Exception {
        Path dataDir = temp.resolve("data");
        Path store = dataDir.resolve(Gateway.STORE_DIRECTORY);
        child = GatewayProcess.start(writeConfig(dataDir), START_TIMEOUT);
        TestHttp http = TestHttp.on(child.httpPort());
        HttpResponse<String> backup = http.postJson("/v1/operations/backup", TestBusinesses.PLATFORM_KEY,
                "{\"name\":\"before-restore\"}");
        assertThat(backup.statusCode()).as(backup.body()).isEqualTo(200);
        Path backupDir = dataDir.resolve("backups").resolve("before-restore");
        assertThat(backupDir).isDirectory();

        assertThatThrownBy(() -> RocksStorage.restore(backupDir, store))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("in use by a running gateway")
                .hasMessageContaining("Nothing was changed");

        assertThat(http.get("/health/ready", null).statusCode()).as("the running gateway is untouched").isEqualTo(200);
        // Nothing beside the store moved: the node's own directories (backups, the uploads' spool) are all there is.
        try (Stream<Path> siblings = Files.list(dataDir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("store", "backups", "uploads");
        }
    }
}
