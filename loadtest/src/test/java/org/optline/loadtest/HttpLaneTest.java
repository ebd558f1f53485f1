package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesResponse;

/** How one HTTP reply to a request of three messages is counted. */
class HttpLaneTest {
    private static final int SENT = 3;

    private final Tally tally = new Tally();
    private final Tally problems = new Tally();

    @Test
    void aProtobufResultListIsTalliedByReason() {
        byte[] body = SubmitMessagesResponse.newBuilder()
                .addResults(MessageResult.newBuilder().setReason(Reason.ACCEPTED))
                .addResults(MessageResult.newBuilder().setReason(Reason.ACCEPTED).setDuplicate(true))
                .addResults(MessageResult.newBuilder().setReason(Reason.INVALID_RECIPIENT))
                .build().toByteArray();

        boolean goOn = HttpLane.record(new HttpReply(200, HttpReply.PROTOBUF, body, true), SENT, tally, problems);

        Tally.Counts counts = tally.snapshot();
        assertThat(goOn).isTrue();
        assertThat(counts.outcomes()).containsOnly(entry(Reason.ACCEPTED, 2L), entry(Reason.INVALID_RECIPIENT, 1L));
        assertThat(counts.duplicates()).isEqualTo(1);
        assertThat(counts.requests()).isEqualTo(1);
        assertThat(counts.unanswered()).isEmpty();
        assertThat(problems.snapshot().problems()).isEmpty();
    }

    @Test
    void tooManyRequestsCountsEveryMessageRateLimited() {
        boolean goOn = HttpLane.record(json(429, "{\"reason\":\"RATE_LIMITED\"}"), SENT, tally, problems);

        assertThat(goOn).isTrue();
        assertThat(tally.snapshot().outcomes()).containsOnly(entry(Reason.RATE_LIMITED, (long) SENT));
        assertThat(tally.snapshot().requests()).isEqualTo(1);
    }

    @Test
    void serviceUnavailableCountsEveryMessageOverloaded() {
        boolean goOn = HttpLane.record(json(503, "{\"reason\":\"OVERLOADED\"}"), SENT, tally, problems);

        assertThat(goOn).isTrue();
        assertThat(tally.snapshot().outcomes()).containsOnly(entry(Reason.OVERLOADED, (long) SENT));
    }

    @Test
    void aRefusedKeyStopsTheLaneWithAProblem() {
        boolean goOn = HttpLane.record(json(401, "{\"reason\":\"UNAUTHENTICATED\"}"), SENT, tally, problems);

        assertThat(goOn).isFalse();
        assertThat(problems.snapshot().problems()).containsOnly(entry("key refused: HTTP 401", 1L));
        assertThat(tally.snapshot().unanswered()).containsOnly(entry("HTTP 401 UNAUTHENTICATED", (long) SENT));
        assertThat(tally.snapshot().answered()).isZero();
    }

    @Test
    void aBadRequestLeavesItsMessagesUnansweredUnderItsReason() {
        boolean goOn = HttpLane.record(json(400, "{\"reason\":\"INVALID_BODY\",\"detail\":\"no messages\"}"),
                SENT, tally, problems);

        assertThat(goOn).isTrue();
        assertThat(tally.snapshot().unanswered()).containsOnly(entry("HTTP 400 INVALID_BODY", (long) SENT));
        assertThat(tally.snapshot().requests()).isEqualTo(1);
        assertThat(problems.snapshot().problems()).isEmpty();
    }

    @Test
    void anErrorWithoutAReadableBodyIsCountedUnderItsStatus() {
        HttpLane.record(new HttpReply(502, "text/html", "<h1>Bad Gateway</h1>".getBytes(StandardCharsets.UTF_8),
                false), SENT, tally, problems);

        assertThat(tally.snapshot().unanswered()).containsOnly(entry("HTTP 502", (long) SENT));
    }

    @Test
    void anOkThatIsNotProtobufLeavesTheMessagesUnanswered() {
        boolean goOn = HttpLane.record(json(200, "{\"results\":[]}"), SENT, tally, problems);

        assertThat(goOn).isTrue();
        assertThat(tally.snapshot().unanswered()).containsOnly(entry("HTTP 200 not protobuf", (long) SENT));
        assertThat(tally.snapshot().answered()).isZero();
    }

    @Test
    void anOkWithAMalformedBodyLeavesTheMessagesUnanswered() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};

        HttpLane.record(new HttpReply(200, HttpReply.PROTOBUF, garbage, true), SENT, tally, problems);

        assertThat(tally.snapshot().unanswered()).containsOnly(entry("HTTP 200 malformed body", (long) SENT));
    }

    private static HttpReply json(int status, String body) {
        return new HttpReply(status, HttpReply.JSON, body.getBytes(StandardCharsets.UTF_8), true);
    }
}
