package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.Reason;

class ReportTest {

    @Test
    void aRunWhoseEveryMessageWasAnsweredSucceedsEvenWithRefusals() {
        Tally tally = new Tally();
        tally.answered(Reason.ACCEPTED, 900);
        tally.answered(Reason.NOT_OPTED_IN, 100);
        for (int i = 0; i < 10; i++) {
            tally.requestAnswered();
        }

        Report report = new Report(1_000, tally.snapshot(), Duration.ofMillis(500));

        assertThat(report.succeeded()).isTrue();
        assertThat(report.messagesPerSecond()).isEqualTo(2_000.0);
        assertThat(report.requestsPerSecond()).isEqualTo(20.0);
        assertThat(report.format()).isEqualToNormalizingNewlines("""
                answered 1000 of 1000 messages in 10 requests; 0 unanswered, 0 not sent
                  ACCEPTED                      900   90.00%
                  NOT_OPTED_IN                  100   10.00%
                elapsed 0.500 s, 2000.0 messages/s, 20.0 requests/s
                run ok
                """);
    }

    @Test
    void aRunStoppedByTheTimeoutFailsAndSaysWhatWasLeft() {
        Tally tally = new Tally();
        tally.answered(Reason.ACCEPTED, 600);
        tally.unanswered(LoadTest.TIMEOUT, 100);
        tally.requestAnswered();

        Report report = new Report(1_000, tally.snapshot(), Duration.ofSeconds(2));

        assertThat(report.succeeded()).isFalse();
        assertThat(report.notSent()).isEqualTo(300);
        assertThat(report.format())
                .contains("answered 600 of 1000 messages in 1 requests; 100 unanswered, 300 not sent")
                .contains("unanswered:\n  timeout")
                .endsWith("run FAILED" + System.lineSeparator());
    }

    @Test
    void aConnectionProblemFailsTheRun() {
        Tally tally = new Tally();
        tally.problem("connect failed: Connection refused");

        Report report = new Report(10, tally.snapshot(), Duration.ofMillis(3));

        assertThat(report.succeeded()).isFalse();
        assertThat(report.format()).contains("problems:\n  connect failed: Connection refused");
    }

    @Test
    void aRunOfNoMeasuredTimeHasARateOfZero() {
        Report report = new Report(10, new Tally().snapshot(), Duration.ZERO);

        assertThat(report.messagesPerSecond()).isZero();
        assertThat(report.format()).doesNotContain("Infinity").doesNotContain("NaN");
    }
}
