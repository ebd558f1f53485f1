package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.loadtest.baseline.BaselineServer;
import org.optline.server.Gateway;
import org.optline.server.config.GatewayConfig;
import picocli.CommandLine;

/**
 * The harness's commands end to end against a real gateway on loopback (and the baseline
 * server): seed, run over TCP and HTTP with the default mix, an SLO that fails, find-max.
 * Rates and durations are small: these check behaviour, not speed.
 */
class HarnessAgainstGatewayTest {
    private static final String KEY = "olk_loadtest_key";
    private static final String PLATFORM_KEY = "olp_loadtest_platform";
    private static final String RECIPIENTS = "200";
    private static Gateway gateway;

    @TempDir
    Path results;

    @BeforeAll
    static void startGatewayAndSeed() {
        GatewayConfig config = GatewayConfig.builder()
                .http("127.0.0.1", 0)
                .tcp("127.0.0.1", 0)
                .platformCredential(Credential.ofSecret(PLATFORM_KEY))
                .business(new Business("load-bank", List.of(Credential.ofSecret(KEY)), 1_000_000, Tier.UNLIMITED,
                        Quality.GREEN, Map.of()))
                .build();
        try {
            gateway = Gateway.inMemory(config, InstantSource.system()).start();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Outcome seeded = execute("seed", "--recipients", RECIPIENTS, "--connections", "4",
                "--http-port", Integer.toString(gateway.httpPort()), "--platform-key", PLATFORM_KEY,
                "--business", "load-bank");
        assertThat(seeded.exitCode()).as(seeded.out()).isZero();
        assertThat(seeded.out()).contains("opt-ins: 300 of 300 recorded").contains("seed ok");
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void aTcpRunWithTheDefaultMixAnswersEveryMessageAndSavesItsResults() throws IOException {
        Outcome run = execute(args("run", "--protocol", "tcp", "--rate", "2000", "--batch", "10", "--connections", "2",
                "--in-flight", "8", "--warm-up", "1s", "--duration", "2s"));

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out())
                .contains("measured: 4,000 of 4,000 messages answered", "run ok")
                .containsPattern("ACCEPTED\\s+[\\d,]+")
                .containsPattern("NOT_OPTED_IN\\s+[\\d,]+")
                .containsPattern("INVALID_RECIPIENT\\s+[\\d,]+")
                .containsPattern("duplicate\\s+[\\d,]+")
                .containsPattern("\\[\\s+\\ds (warm-up|run|drain)\\s*\\] sent")
                .contains("latency from intended send time: p50");
        JsonObject summary = onlyJson();
        assertThat(summary.get("answered_messages").getAsLong()).isEqualTo(4_000);
        assertThat(summary.getAsJsonObject("latency_ms").has("p99")).isTrue();
        assertThat(summary.get("passed").getAsBoolean()).isTrue();
        try (Stream<Path> files = Files.list(results)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.endsWith(".hgrm"));
        }
    }

    @Test
    void anHttpRunSendsOneMessagePerPost() {
        Outcome run = execute(args("run", "--protocol", "http", "--rate", "300", "--connections", "4",
                "--warm-up", "0s", "--duration", "2s", "--mix", "balance=1", "--non-consented", "0", "--invalid", "0",
                "--duplicates", "0"));

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("measured: 600 of 600 messages answered in 600 requests")
                .containsPattern("ACCEPTED\\s+600\\s");
    }

    @Test
    void theConsumerSideReadsTheWatchedInboxesAndReportsSubmitToReadLatency() {
        Outcome run = execute(args("run", "--rate", "1000", "--batch", "10", "--connections", "2", "--warm-up", "0s",
                "--duration", "2s", "--mix", "balance=1", "--non-consented", "0", "--invalid", "0", "--duplicates",
                "0", "--consume", "2", "--consume-every", "10", "--platform-key", PLATFORM_KEY));

        assertThat(run.exitCode()).as(run.out()).isZero();
        // 2 000 messages cycle through 200 recipients; 1 in 10 is watched: 200 messages to read
        assertThat(run.out()).containsPattern("submit-to-read, warm-up included \\(inboxes of 1 in 10 recipients\\): 200 messages read, "
                + "0 unread at the end; p50 ");
        assertThat(onlyJson().getAsJsonObject("submit_to_read").get("read_messages").getAsLong()).isEqualTo(200);
    }

    @Test
    void consumingNeedsThePlatformKey() {
        Outcome run = execute(args("run", "--rate", "100", "--consume", "1"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("--consume reads inboxes with the platform key");
    }

    @Test
    void anSloThatCannotHoldFailsTheRunWithExitCodeOne() {
        Outcome run = execute(args("run", "--rate", "500", "--batch", "10", "--warm-up", "0s", "--duration", "1s",
                "--slo", "p99<1us"));

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("SLO p99<0.001ms: FAILED").contains("run FAILED");
        assertThat(onlyJson().get("passed").getAsBoolean()).isFalse();
    }

    @Test
    void findMaxReportsTheHighestRateThatHeldAndTheLatencyAtHalfOfIt() {
        Outcome found = execute(args("find-max", "--start-rate", "200", "--max-rate", "400", "--batch", "10",
                "--connections", "2", "--warm-up", "0s", "--step-duration", "1s", "--p99", "1s"));

        assertThat(found.exitCode()).as(found.out()).isZero();
        assertThat(found.out()).containsPattern("highest rate that held: (3[89]\\d|4\\d\\d) messages/s")
                .contains("at half that rate (200 messages/s)")
                .containsPattern("asked msg/s");
    }

    @Test
    void theBaselineServerAnswersTheSameClientWithNoAdmissionWork() {
        try (BaselineServer baseline = BaselineServer.start("127.0.0.1", 0, 0)) {
            Outcome run = execute("run", "--rate", "2000", "--batch", "10", "--connections", "2", "--warm-up", "0s",
                    "--duration", "1s", "--key", "any", "--tcp-port", Integer.toString(baseline.tcpPort()),
                    "--results", results.toString());

            assertThat(run.exitCode()).as(run.out()).isZero();
            // everything is ACCEPTED there, even the invalid numbers: it looks at nothing
            assertThat(run.out()).containsPattern("ACCEPTED\\s+2,000\\s");
        }
    }

    private String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of(more));
        all.addAll(List.of("--http-port", Integer.toString(gateway.httpPort()),
                "--tcp-port", Integer.toString(gateway.tcpPort()), "--key", KEY, "--business", "load-bank",
                "--recipients", RECIPIENTS, "--results", results.toString()));
        return all.toArray(String[]::new);
    }

    private JsonObject onlyJson() {
        try (Stream<Path> files = Files.list(results)) {
            List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(json).hasSize(1);
            return JsonParser.parseString(Files.readString(json.get(0))).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Outcome execute(String... args) {
        StringWriter out = new StringWriter();
        CommandLine command = LoadTest.commandLine(Map.of());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(out, true));
        int exitCode = command.execute(args);
        return new Outcome(exitCode, out.toString());
    }

    private record Outcome(int exitCode, String out) {}
}
