package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesRequest;
import org.optline.proto.v1.SubmitMessagesResponse;

/**
 * One HTTP lane through its real pipeline, against responses a test plays the server with:
 * ten requests due 1 ms apart, none of them warm-up, two messages each.
 */
class HttpLaneChannelTest {
    private static final long START = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final int BATCH = 2;

    private final FakeTicker ticker = new FakeTicker(START);
    private final OpenLoop loop = new OpenLoop(ArrivalSchedule.of(START, 1_000, 10), START, ticker, new Latencies());
    private final RunMessages messages =
            new RunMessages("run", new Recipients(10), MessageMix.balanceAlertsOnly(), 1_000);
    private final Tally problems = new Tally();
    private final HttpLane lane = new HttpLane(new GatewayRequests("127.0.0.1", 8080).submitHead("olk_test"), BATCH,
            messages, problems, null);
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpLaneInitializer(() -> lane));

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    @Test
    void postsTheBatchOfTheDueRequestAsProtobufWithTheKeyAndItsLength() throws Exception {
        begin();

        List<String> requests = sent();
        assertThat(requests).hasSize(1);
        String request = requests.get(0);
        assertThat(request).startsWith("POST /v1/messages HTTP/1.1\r\n")
                .contains("host: 127.0.0.1:8080\r\n", "authorization: Bearer olk_test\r\n",
                        "content-type: application/x-protobuf\r\n", "accept: application/x-protobuf\r\n");
        byte[] body = body(request);
        assertThat(request).contains("content-length: " + body.length + "\r\n\r\n");
        assertThat(SubmitMessagesRequest.parseFrom(body).getMessagesList())
                .containsExactly(messages.message(0), messages.message(1));
        assertThat(lane.hasRoom()).isFalse();
    }

    @Test
    void theRequestIsByteForByteWhatNettysEncoderWritesForTheSameSubmission() {
        begin();
        String written = sent().get(0);

        EmbeddedChannel encoder = new EmbeddedChannel(new HttpClientInitializer());
        encoder.writeAndFlush(new GatewayRequests("127.0.0.1", 8080).submit("olk_test",
                List.of(messages.message(0), messages.message(1))));
        StringBuilder encoded = new StringBuilder();
        for (ByteBuf buf = encoder.readOutbound(); buf != null; buf = encoder.readOutbound()) {
            encoded.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        encoder.finishAndReleaseAll();

        assertThat(written).isEqualTo(encoded.toString());
    }

    @Test
    void anAnswerIsCountedAndFreesTheLaneForTheNextDueRequest() throws Exception {
        loop.advance(START + 9 * MS);
        begin();
        sent();

        answer(200, results(Reason.ACCEPTED, Reason.NOT_OPTED_IN), true);

        Tally.Counts counts = loop.measuredTally().snapshot();
        assertThat(counts.outcomes()).containsOnly(entry(Reason.ACCEPTED, 1L), entry(Reason.NOT_OPTED_IN, 1L));
        assertThat(counts.requests()).isEqualTo(1);
        List<String> next = sent();
        assertThat(next).hasSize(1);
        assertThat(SubmitMessagesRequest.parseFrom(body(next.get(0))).getMessagesList())
                .containsExactly(messages.message(2), messages.message(3));
        assertThat(loop.inFlight()).isEqualTo(1);
    }

    @Test
    void anAnswerThatArrivesInPiecesIsCountedOnceWhole() {
        begin();
        sent();
        byte[] whole = response(200, "application/x-protobuf", results(Reason.ACCEPTED, Reason.ACCEPTED), true);

        for (int i = 0; i < whole.length; i += 7) {
            channel.writeInbound(Unpooled.wrappedBuffer(whole, i, Math.min(7, whole.length - i)));
        }

        assertThat(loop.measuredTally().snapshot().outcomes()).containsOnly(entry(Reason.ACCEPTED, 2L));
        assertThat(loop.inFlight()).isZero();
    }

    @Test
    void aMalformedResultsBodyLeavesTheMessagesUnanswered() {
        begin();
        sent();

        answer(200, new byte[] {0x0A, 0x05, 0x10}, true);

        assertThat(loop.measuredTally().snapshot().unanswered()).containsOnly(entry(HttpLane.MALFORMED_BODY, 2L));
        assertThat(loop.inFlight()).isZero();
    }

    @Test
    void aRefusedKeyStopsTheLane() {
        begin();
        sent();

        byte[] error = "{\"reason\":\"UNAUTHENTICATED\"}".getBytes(StandardCharsets.UTF_8);
        channel.writeInbound(Unpooled.wrappedBuffer(response(401, "application/json", error, true)));

        assertThat(problems.snapshot().problems()).containsOnly(entry("key refused: HTTP 401", 1L));
        assertThat(loop.measuredTally().snapshot().unanswered())
                .containsOnly(entry("HTTP 401 UNAUTHENTICATED", 2L));
        assertThat(channel.isOpen()).isFalse();
        assertThat(lane.isOpen()).isFalse();
    }

    @Test
    void aServerThatClosesTheConnectionAfterTheAnswerEndsTheLaneWithAProblem() {
        begin();
        sent();

        answer(200, results(Reason.ACCEPTED, Reason.ACCEPTED), false);

        assertThat(loop.measuredTally().snapshot().count(Reason.ACCEPTED)).isEqualTo(2);
        assertThat(problems.snapshot().problems()).containsOnly(entry("the server closed an HTTP connection", 1L));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aConnectionLostWithARequestInFlightCountsItUnansweredAndSettlesIt() {
        begin();
        sent();
        loop.stop();

        channel.close();

        assertThat(loop.measuredTally().snapshot().unanswered()).containsOnly(entry(HttpLanes.CONNECTION_CLOSED, 2L));
        assertThat(loop.settled()).isDone();
    }

    @Test
    void stoppingTheLaneCountsTheRequestInFlightAsStopped() {
        begin();
        sent();

        lane.stop();
        channel.runPendingTasks();

        assertThat(loop.measuredTally().snapshot().unanswered()).containsOnly(entry("stopped", 2L));
        assertThat(loop.inFlight()).isZero();
    }

    @Test
    void aResponseToNoRequestIsAProblemAndEndsTheLane() {
        answer(200, results(Reason.ACCEPTED), true);

        assertThat(problems.snapshot().problems()).containsOnly(entry("an HTTP response to no request", 1L));
        assertThat(channel.isOpen()).isFalse();
    }

    private void begin() {
        lane.begin(loop);
        channel.runPendingTasks();
    }

    private void answer(int status, byte[] body, boolean keepAlive) {
        channel.writeInbound(Unpooled.wrappedBuffer(response(status, "application/x-protobuf", body, keepAlive)));
    }

    private static byte[] response(int status, String contentType, byte[] body, boolean keepAlive) {
        String head = "HTTP/1.1 " + status + " X\r\ncontent-type: " + contentType + "\r\ncontent-length: "
                + body.length + "\r\n" + (keepAlive ? "" : "connection: close\r\n") + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
        System.arraycopy(body, 0, whole, headBytes.length, body.length);
        return whole;
    }

    private static byte[] results(Reason... reasons) {
        SubmitMessagesResponse.Builder response = SubmitMessagesResponse.newBuilder();
        for (Reason reason : reasons) {
            response.addResults(MessageResult.newBuilder().setReason(reason).setClientMessageId("c").setMessageId("m"));
        }
        return response.build().toByteArray();
    }

    /** The requests written since the last call, one string each (ISO-8859-1, so bytes survive). */
    private List<String> sent() {
        channel.runPendingTasks();
        List<String> requests = new ArrayList<>();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            requests.add(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return requests;
    }

    private static byte[] body(String request) {
        return request.substring(request.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
    }
}
