package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.proto.v1.Reason;

/** A measured part of 10 s at 1 000 messages/s in requests of 10: 10 000 messages planned. */
class RunResultTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final long PLANNED = 10_000;

    private final Histogram latencies = new Histogram(Latencies.SIGNIFICANT_DIGITS);
    private final Tally problems = new Tally();

    RunResultTest() {
        for (int i = 0; i < 1_000; i++) {
            latencies.recordValue(MS);
        }
    }

    @Test
    void everyMessageAnsweredInTimeIsCompleteSustainedAndPassed() {
        RunResult result = result(settings("p99<5ms"), accepted(PLANNED), 0, 10 * SECOND, true);

        assertThat(result.messagesPerSecond()).isEqualTo(1_000);
        assertThat(result.requestsPerSecond()).isEqualTo(100);
        assertThat(result.complete()).isTrue();
        assertThat(result.sustained()).isTrue();
        assertThat(result.failedSlos()).isEmpty();
        assertThat(result.passed()).isTrue();
    }

    @Test
    void missingAnswersMakeARunIncomplete() {
        Tally tally = accepted(PLANNED - 10);
        tally.unanswered(TcpLane.CONNECTION_CLOSED, 10);

        RunResult result = result(settings(), tally, 0, 10 * SECOND, true);

        assertThat(result.complete()).isFalse();
        assertThat(result.sustained()).isFalse();
        assertThat(result.passed()).isFalse();
    }

    @Test
    void messagesNeverSentMakeARunIncomplete() {
        RunResult result = result(settings(), accepted(PLANNED - 10), 10, 10 * SECOND, true);

        assertThat(result.complete()).isFalse();
        assertThat(result.passed()).isFalse();
    }

    @Test
    void aRunNotSettledInTheGracePeriodIsIncomplete() {
        assertThat(result(settings(), accepted(PLANNED), 0, 10 * SECOND, false).complete()).isFalse();
    }

    @Test
    void aConnectionProblemMakesARunIncomplete() {
        problems.problem("connect failed: Connection refused");

        assertThat(result(settings(), accepted(PLANNED), 0, 10 * SECOND, true).complete()).isFalse();
    }

    @Test
    void overloadedAnswersAreCompleteButNotSustained() {
        Tally tally = accepted(PLANNED - 100);
        tally.answered(Reason.OVERLOADED, 100);

        RunResult result = result(settings(), tally, 0, 10 * SECOND, true);

        assertThat(result.complete()).isTrue();
        assertThat(result.sustained()).isFalse();
        assertThat(result.passed()).isFalse();
        assertThat(result.format()).contains("the gateway did not keep up").contains("100 OVERLOADED");
    }

    @Test
    void rateLimitedAnswersAreNotSustained() {
        Tally tally = accepted(PLANNED - 1);
        tally.answered(Reason.RATE_LIMITED);

        assertThat(result(settings(), tally, 0, 10 * SECOND, true).sustained()).isFalse();
    }

    @Test
    void throughputBelowNinetyFivePercentOfTheRateIsNotSustained() {
        // every answer, but the last one 10.6 s in: 943 messages/s for 1 000 asked
        RunResult slow = result(settings(), accepted(PLANNED), 0, 10_600 * MS, true);
        // 10.5 s: 952 messages/s, within the 5% of timing noise
        RunResult justInTime = result(settings(), accepted(PLANNED), 0, 10_500 * MS, true);

        assertThat(slow.complete()).isTrue();
        assertThat(slow.sustained()).isFalse();
        assertThat(justInTime.sustained()).isTrue();
    }

    @Test
    void aFailedSloFailsTheRun() {
        RunSettings settings = settings("p99<5ms", "p50<500us");

        RunResult result = result(settings, accepted(PLANNED), 0, 10 * SECOND, true);

        assertThat(result.complete()).isTrue();
        assertThat(result.sustained()).isTrue();
        assertThat(result.failedSlos()).containsExactly(Slo.parse("p50<500us"));
        assertThat(result.passed()).isFalse();
    }

    @Test
    void ofCountsOnlyTheMeasuredPartOfTheLoop() {
        RunSettings settings = new RunSettings(target(), Protocol.TCP, 1_000, 10, 1, 4, Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofSeconds(1), 100, MessageMix.balanceAlertsOnly(), List.of());
        long start = 5 * SECOND;
        // 100 requests/s: 100 of warm-up, then 1 000 measured
        OpenLoop loop = new OpenLoop(ArrivalSchedule.of(start, settings.requestsPerSecond(), settings.requests()),
                start + SECOND, new FakeTicker(start), new Latencies());
        loop.advance(start + 2 * SECOND);
        for (int i = 0; i < 150; i++) {
            loop.claim();
        }

        RunResult result = RunResult.of(settings, "lt-test", loop, latencies, problems, false, null);

        assertThat(result.plannedMessages()).isEqualTo(10_000);
        assertThat(result.notSentMessages()).isEqualTo(9_500);
        assertThat(result.spanNanos()).isEqualTo(10 * SECOND);
    }

    @Test
    void formatTellsOutcomesThroughputPercentilesAndTheVerdict() {
        Tally tally = accepted(PLANNED - 200);
        tally.answered(Reason.NOT_OPTED_IN, 200);

        String text = result(settings("p99<5ms"), tally, 0, 10 * SECOND, true).format();

        assertThat(text).contains("measured: 10,000 of 10,000 messages answered in 1,000 requests")
                .containsPattern("ACCEPTED +9,800 +98\\.00%")
                .containsPattern("NOT_OPTED_IN +200 +2\\.00%")
                .contains("throughput: 1,000 messages/s, 100 requests/s (asked for 1,000 messages/s) over 10.00 s")
                .contains("p99 " + Latency.format(latencies.getValueAtPercentile(99)))
                .contains("p99.9 ")
                .contains("SLO p99<5.000ms: held")
                .endsWith("run ok" + System.lineSeparator());
    }

    @Test
    void formatTellsAFailedSloAndFailedRun() {
        String text = result(settings("p50<500us"), accepted(PLANNED), 0, 10 * SECOND, true).format();

        assertThat(text).contains("SLO p50<0.500ms: FAILED").contains("run FAILED");
    }

    @Test
    void toJsonIsValidJsonWithTheFiguresDashboardsRead() {
        Tally tally = accepted(PLANNED - 200);
        tally.answered(Reason.NOT_OPTED_IN, 200);

        JsonObject json = JsonParser.parseString(result(settings("p99<5ms"), tally, 0, 10 * SECOND, true).toJson())
                .getAsJsonObject();

        assertThat(json.get("run_id").getAsString()).isEqualTo("lt-test");
        assertThat(json.get("messages_per_second").getAsLong()).isEqualTo(1_000);
        assertThat(json.getAsJsonObject("latency_ms").get("p99").getAsDouble()).isCloseTo(1.0, within(0.01));
        assertThat(json.getAsJsonObject("outcomes").get("ACCEPTED").getAsLong()).isEqualTo(9_800);
        assertThat(json.getAsJsonObject("outcomes").get("NOT_OPTED_IN").getAsLong()).isEqualTo(200);
        JsonObject slo = json.getAsJsonArray("slos").get(0).getAsJsonObject();
        assertThat(slo.get("slo").getAsString()).isEqualTo("p99<5.000ms");
        assertThat(slo.get("held").getAsBoolean()).isTrue();
        assertThat(json.get("in_flight").getAsInt()).isEqualTo(4);
        assertThat(json.get("sustained").getAsBoolean()).isTrue();
        assertThat(json.get("passed").getAsBoolean()).isTrue();
    }

    @Test
    void saveWritesTheHistogramAndTheSummary(@TempDir Path directory) throws IOException {
        RunResult result = result(settings("p99<5ms"), accepted(PLANNED), 0, 10 * SECOND, true);

        List<Path> written = result.save(directory.resolve("results"));

        assertThat(written).containsExactly(directory.resolve("results/lt-test.hgrm"),
                directory.resolve("results/lt-test.json"));
        assertThat(Files.readString(written.get(0))).contains("Percentile");
        assertThat(JsonParser.parseString(Files.readString(written.get(1))).getAsJsonObject().get("passed")
                .getAsBoolean()).isTrue();
    }

    @Test
    void aRunThatMeasuredNothingStillFormatsAndSaves(@TempDir Path directory) throws IOException {
        problems.problem("connect failed: Connection refused");
        RunResult result = new RunResult(settings("p99<5ms"), "lt-test", new Tally().snapshot(), problems.snapshot(),
                new Histogram(Latencies.SIGNIFICANT_DIGITS), PLANNED, PLANNED, 10 * SECOND, false, null);

        assertThat(result.format()).contains("0 of 10,000 messages answered").contains("SLO p99<5.000ms: FAILED")
                .contains("connect failed: Connection refused").contains("run FAILED");
        result.save(directory);
        assertThat(JsonParser.parseString(Files.readString(directory.resolve("lt-test.json"))).getAsJsonObject()
                .get("passed").getAsBoolean()).isFalse();
    }

    private RunResult result(RunSettings settings, Tally tally, long notSent, long spanNanos, boolean settled) {
        return new RunResult(settings, "lt-test", tally.snapshot(), problems.snapshot(), latencies, PLANNED, notSent,
                spanNanos, settled, null);
    }

    /** {@code n} messages answered ACCEPTED, in the run's 1 000 requests. */
    private static Tally accepted(long n) {
        Tally tally = new Tally();
        tally.answered(Reason.ACCEPTED, n);
        for (long i = 0; i < PLANNED / 10; i++) {
            tally.requestAnswered();
        }
        return tally;
    }

    private static RunSettings settings(String... slos) {
        return new RunSettings(target(), Protocol.TCP, 1_000, 10, 1, 4, Duration.ZERO, Duration.ofSeconds(10),
                Duration.ofSeconds(1), 100, MessageMix.balanceAlertsOnly(), Arrays.stream(slos).map(Slo::parse).toList());
    }

    private static Target target() {
        return new Target(Target.DEFAULT_HOST, Target.DEFAULT_TCP_PORT, Target.DEFAULT_HTTP_PORT, "olk_test", null,
                Target.DEFAULT_BUSINESS);
    }
}
