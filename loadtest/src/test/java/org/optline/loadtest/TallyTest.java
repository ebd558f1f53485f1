package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.optline.proto.v1.Reason;

class TallyTest {

    @Test
    void countsAnswersByReasonAndOnlyTheReasonsThatOccurred() {
        Tally tally = new Tally();
        tally.answered(Reason.ACCEPTED);
        tally.answered(Reason.ACCEPTED, 4);
        tally.answered(Reason.NOT_OPTED_IN, 2);

        Tally.Counts counts = tally.snapshot();

        assertThat(counts.outcomes()).containsOnlyKeys(Reason.ACCEPTED, Reason.NOT_OPTED_IN);
        assertThat(counts.count(Reason.ACCEPTED)).isEqualTo(5);
        assertThat(counts.count(Reason.RATE_LIMITED)).isZero();
        assertThat(counts.answered()).isEqualTo(7);
    }

    @Test
    void aReasonFromANewerGatewayIsStillCounted() {
        Tally tally = new Tally();
        tally.answered(Reason.UNRECOGNIZED);

        assertThat(tally.snapshot().answered()).isEqualTo(1);
    }

    @Test
    void countsUnansweredMessagesAndProblemsByCause() {
        Tally tally = new Tally();
        tally.unanswered("timeout", 100);
        tally.unanswered("timeout", 20);
        tally.unanswered("HTTP 400 INVALID_BODY", 1);
        tally.unanswered("nothing", 0);
        tally.problem("connect failed: Connection refused");
        tally.requestAnswered();

        Tally.Counts counts = tally.snapshot();

        assertThat(counts.unanswered()).containsExactly(
                org.assertj.core.api.Assertions.entry("HTTP 400 INVALID_BODY", 1L),
                org.assertj.core.api.Assertions.entry("timeout", 120L));
        assertThat(counts.unansweredTotal()).isEqualTo(121);
        assertThat(counts.problems()).containsEntry("connect failed: Connection refused", 1L);
        assertThat(counts.requests()).isEqualTo(1);
    }
}
