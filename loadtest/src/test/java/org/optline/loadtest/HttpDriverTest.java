package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesResponse;

class HttpDriverTest {
    private final Tally tally = new Tally();

    @Test
    void anOkReplyCountsEachMessageByItsReason() {
        byte[] body = SubmitMessagesResponse.newBuilder()
                .addResults(MessageResult.newBuilder().setReason(Reason.ACCEPTED))
                .addResults(MessageResult.newBuilder().setReason(Reason.NOT_OPTED_IN))
                .build().toByteArray();

        boolean goOn = HttpDriver.record(new HttpReply(200, HttpReply.PROTOBUF, body, true), 2, tally);

        assertThat(goOn).isTrue();
        Tally.Counts counts = tally.snapshot();
        assertThat(counts.count(Reason.ACCEPTED)).isEqualTo(1);
        assertThat(counts.count(Reason.NOT_OPTED_IN)).isEqualTo(1);
        assertThat(counts.requests()).isEqualTo(1);
    }

    @Test
    void tooManyRequestsCountsEveryMessageRateLimited() {
        HttpDriver.record(json(429, "{\"reason\":\"RATE_LIMITED\"}"), 5, tally);

        assertThat(tally.snapshot().count(Reason.RATE_LIMITED)).isEqualTo(5);
    }

    @Test
    void serviceUnavailableCountsEveryMessageOverloaded() {
        HttpDriver.record(new HttpReply(503, "", new byte[0], true), 3, tally);

        assertThat(tally.snapshot().count(Reason.OVERLOADED)).isEqualTo(3);
    }

    @Test
    void otherErrorsLeaveTheMessagesUnansweredUnderTheStatusAndReason() {
        boolean goOn = HttpDriver.record(json(400, "{\"reason\":\"INVALID_BODY\",\"detail\":\"no\"}"), 4, tally);

        assertThat(goOn).isTrue();
        assertThat(tally.snapshot().unanswered()).containsOnlyKeys("HTTP 400 INVALID_BODY");
    }

    @Test
    void aRefusedKeyStopsTheRun() {
        boolean goOn = HttpDriver.record(json(401, "{\"reason\":\"UNAUTHENTICATED\"}"), 1, tally);

        assertThat(goOn).isFalse();
        assertThat(tally.snapshot().problems()).containsOnlyKeys("key refused: HTTP 401");
    }

    @Test
    void anOkReplyThatIsNotProtobufLeavesTheMessagesUnanswered() {
        HttpDriver.record(json(200, "{\"results\":[]}"), 2, tally);

        assertThat(tally.snapshot().unanswered()).containsEntry("HTTP 200 not protobuf", 2L);
    }

    private static HttpReply json(int status, String body) {
        return new HttpReply(status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), true);
    }
}
