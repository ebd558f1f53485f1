package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.Authenticated;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Error;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.proto.v1.SubmitResponse;

/**
 * One binary-protocol lane through its real pipeline, against frames a test plays the server
 * with: ten requests due 1 ms apart, none of them warm-up, two messages each, four in flight.
 */
class TcpLaneTest {
    private static final long START = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final int BATCH = 2;
    private static final int IN_FLIGHT = 4;

    private final FakeTicker ticker = new FakeTicker(START);
    private final OpenLoop loop = new OpenLoop(ArrivalSchedule.of(START, 1_000, 10), START, ticker, new Latencies());
    private final RunMessages messages =
            new RunMessages("run", new Recipients(10), MessageMix.balanceAlertsOnly(), 1_000);
    private final Tally problems = new Tally();
    private final TcpLane lane = new TcpLane("olk_test", IN_FLIGHT, BATCH, messages, problems);
    private final EmbeddedChannel channel = new EmbeddedChannel(new TcpClientInitializer(() -> lane));

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    @Test
    void authenticatesFirst() throws IOException {
        List<ClientFrame> sent = sent();

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getAuthenticate().getApiKey()).isEqualTo("olk_test");
        assertThat(lane.ready()).isNotDone();
        assertThat(lane.hasRoom()).isFalse();
    }

    @Test
    void sendsNothingBeforeTheRunBegins() throws IOException {
        sent();
        loop.advance(START + 9 * MS);

        receive(authenticated(0, 0));

        assertThat(lane.ready()).isCompleted();
        assertThat(lane.hasRoom()).isTrue();
        assertThat(sent()).isEmpty();
        assertThat(loop.claimed()).isZero();
    }

    @Test
    void sendsDueRequestsUpToTheServersWindowWithIdsOneAboveTheirNumber() throws IOException {
        sent();
        receive(authenticated(0, 3));
        loop.advance(START + 9 * MS);

        begin();

        List<ClientFrame> sent = sent();
        assertThat(sent).extracting(frame -> frame.getSubmit().getRequestId()).containsExactly(1L, 2L, 3L);
        for (ClientFrame frame : sent) {
            SubmitRequest submit = frame.getSubmit();
            long request = submit.getRequestId() - 1;
            assertThat(submit.getMessagesList()).containsExactly(
                    messages.message(request * BATCH), messages.message(request * BATCH + 1));
        }
        assertThat(lane.hasRoom()).isFalse();
        assertThat(loop.inFlight()).isEqualTo(3);
    }

    @Test
    void sendsUpToItsOwnInFlightWhenTheServerAllowsMore() throws IOException {
        sent();
        receive(authenticated(0, 100));
        loop.advance(START + 9 * MS);

        begin();

        assertThat(sent()).hasSize(IN_FLIGHT);
    }

    @Test
    void sendsOnlyWhatIsDue() throws IOException {
        sent();
        receive(authenticated(0, 0));
        loop.advance(START + MS);

        begin();

        assertThat(sent()).extracting(frame -> frame.getSubmit().getRequestId()).containsExactly(1L, 2L);
        assertThat(lane.hasRoom()).isTrue();
    }

    @Test
    void anAnswerFreesRoomForTheNextDueRequest() throws IOException {
        sent();
        receive(authenticated(0, 0));
        loop.advance(START + 9 * MS);
        begin();
        sent();

        receive(result(2, accepted(), accepted()));

        assertThat(sent()).extracting(frame -> frame.getSubmit().getRequestId()).containsExactly(5L);
        assertThat(loop.inFlight()).isEqualTo(IN_FLIGHT);
        assertThat(loop.claimed()).isEqualTo(5);
    }

    @Test
    void talliesTheResultsByReasonAndCountsDuplicates() throws IOException {
        sent();
        receive(authenticated(0, 0));
        loop.advance(START + 9 * MS);
        begin();

        receive(result(1, accepted(), MessageResult.newBuilder().setReason(Reason.NOT_OPTED_IN).build()));
        receive(result(2, MessageResult.newBuilder().setReason(Reason.ACCEPTED).setDuplicate(true).build(),
                accepted()));

        Tally.Counts counts = loop.measuredTally().snapshot();
        assertThat(counts.outcomes()).containsOnly(entry(Reason.ACCEPTED, 3L), entry(Reason.NOT_OPTED_IN, 1L));
        assertThat(counts.duplicates()).isEqualTo(1);
        assertThat(counts.requests()).isEqualTo(2);
        assertThat(counts.unanswered()).isEmpty();
        assertThat(problems.snapshot().problems()).isEmpty();
    }

    @Test
    void theRequestsThatOneReadsAnswersFreeGoOutInOneFlush() throws IOException {
        int[] flushes = {0};
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes[0]++;
                ctx.flush();
            }
        });
        sent();
        receive(authenticated(0, 0));
        loop.advance(START + 9 * MS);
        begin();
        sent();
        flushes[0] = 0;

        ByteArrayOutputStream answers = new ByteArrayOutputStream();
        result(1, accepted(), accepted()).writeDelimitedTo(answers);
        result(2, accepted(), accepted()).writeDelimitedTo(answers);
        result(3, accepted(), accepted()).writeDelimitedTo(answers);
        channel.writeInbound(Unpooled.wrappedBuffer(answers.toByteArray()));

        assertThat(sent()).extracting(frame -> frame.getSubmit().getRequestId()).containsExactly(5L, 6L, 7L);
        assertThat(flushes[0]).isEqualTo(1);
    }

    @Test
    void aFrameThatIsNotProtobufEndsTheConnectionWithAProblem() throws IOException {
        sent();
        receive(authenticated(0, 0));
        loop.advance(START + MS);
        begin();

        // a frame of three bytes: field 2, length 5, but only one byte follows
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x03, 0x12, 0x05, 0x08}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(problems.snapshot().problems()).containsOnly(entry("malformed frame from the server", 1L));
        assertThat(loop.measuredTally().snapshot().unanswered())
                .containsOnly(entry("malformed frame from the server", 2L * BATCH));
    }

    @Test
    void aServerBatchLimitBelowTheBatchClosesTheConnectionWithAProblem() throws IOException {
        sent();

        receive(authenticated(BATCH - 1, 0));

        assertThat(channel.isOpen()).isFalse();
        assertThat(lane.ready()).isCompletedExceptionally();
        assertThat(problems.snapshot().problems())
                .containsOnly(entry("--batch 2 is above the gateway's limit of 1", 1L));
    }

    @Test
    void closingWithRequestsInFlightCountsThemUnansweredAndSettlesThem() throws IOException {
        sent();
        receive(authenticated(0, 0));
        loop.advance(START + 9 * MS);
        begin();
        receive(result(1, accepted(), accepted()));
        loop.stop();
        assertThat(loop.settled()).isNotDone();

        channel.close();

        Tally.Counts counts = loop.measuredTally().snapshot();
        assertThat(counts.unanswered()).containsOnly(entry(TcpLane.CONNECTION_CLOSED, (long) IN_FLIGHT * BATCH));
        assertThat(counts.count(Reason.ACCEPTED)).isEqualTo(2);
        assertThat(loop.inFlight()).isZero();
        assertThat(loop.settled()).isDone();
    }

    @Test
    void stoppingTheLaneCountsWhatIsInFlightUnderItsCause() throws IOException {
        sent();
        receive(authenticated(0, 0));
        loop.advance(START + MS);
        begin();

        lane.stop("stopped");
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(loop.measuredTally().snapshot().unanswered()).containsOnly(entry("stopped", 2L * BATCH));
        assertThat(loop.inFlight()).isZero();
    }

    @Test
    void anErrorForOneRequestLeavesItsMessagesUnansweredButSettlesIt() throws IOException {
        sent();
        receive(authenticated(0, 0));
        loop.advance(START + 9 * MS);
        begin();
        sent();

        receive(ServerFrame.newBuilder().setError(Error.newBuilder()
                .setCode(ErrorCode.INVALID_REQUEST).setRequestId(3)).build());

        Tally.Counts counts = loop.measuredTally().snapshot();
        assertThat(counts.unanswered()).containsOnly(entry("error INVALID_REQUEST", (long) BATCH));
        assertThat(counts.requests()).isEqualTo(1);
        assertThat(problems.snapshot().problems()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
        // request 2 is settled, and its room went to the next due request
        assertThat(sent()).extracting(frame -> frame.getSubmit().getRequestId()).containsExactly(5L);
        assertThat(loop.inFlight()).isEqualTo(IN_FLIGHT);
    }

    @Test
    void aConnectionErrorWithoutARequestIsAProblemAndCloses() throws IOException {
        sent();
        receive(authenticated(0, 0));
        loop.advance(START + MS);
        begin();

        receive(ServerFrame.newBuilder().setError(Error.newBuilder().setCode(ErrorCode.SHUTTING_DOWN)).build());

        assertThat(channel.isOpen()).isFalse();
        assertThat(problems.snapshot().problems()).containsOnly(entry("error SHUTTING_DOWN", 1L));
        assertThat(loop.measuredTally().snapshot().unanswered()).containsOnly(entry("error SHUTTING_DOWN", 2L * BATCH));
    }

    @Test
    void anIdleLaneSendsAPingSoTheGatewayKeepsTheConnection() throws IOException {
        sent();

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);

        assertThat(sent()).singleElement().satisfies(frame -> assertThat(frame.hasPing()).isTrue());
        assertThat(channel.isOpen()).isTrue();
    }

    private void begin() {
        lane.begin(loop);
        channel.runPendingTasks();
    }

    private void receive(ServerFrame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame.writeDelimitedTo(out);
        channel.writeInbound(Unpooled.wrappedBuffer(out.toByteArray()));
    }

    /** The frames written since the last call. */
    private List<ClientFrame> sent() throws IOException {
        channel.runPendingTasks();
        List<ClientFrame> frames = new ArrayList<>();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            try (ByteBufInputStream in = new ByteBufInputStream(buf, true)) {
                while (in.available() > 0) {
                    frames.add(ClientFrame.parseDelimitedFrom(in));
                }
            }
        }
        return frames;
    }

    private static ServerFrame authenticated(int maxBatchSize, int maxInFlight) {
        return ServerFrame.newBuilder().setAuthenticated(Authenticated.newBuilder()
                .setBusinessId("demo-bank").setMaxBatchSize(maxBatchSize).setMaxInFlight(maxInFlight)).build();
    }

    private static ServerFrame result(long requestId, MessageResult... results) {
        return ServerFrame.newBuilder().setResult(SubmitResponse.newBuilder()
                .setRequestId(requestId).addAllResults(List.of(results))).build();
    }

    private static MessageResult accepted() {
        return MessageResult.newBuilder().setReason(Reason.ACCEPTED).build();
    }
}
