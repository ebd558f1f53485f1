package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
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

class SubmitHandlerTest {
    private final Tally tally = new Tally();

    @Test
    void authenticatesFirstAndSubmitsNothingBeforeTheAnswer() {
        EmbeddedChannel channel = channel(50, 64, 100);

        ClientFrame hello = channel.readOutbound();
        assertThat(hello.getAuthenticate().getApiKey()).isEqualTo("olk_test");
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    @Test
    void keepsWithinTheServersWindowAndBatchSizeAndClosesWhenAllIsAnswered() {
        EmbeddedChannel channel = channel(50, 64, 100);
        channel.readOutbound();

        channel.writeInbound(authenticated(10, 2));

        List<SubmitRequest> sent = submits(channel);
        assertThat(sent).hasSize(2).allSatisfy(s -> assertThat(s.getMessagesCount()).isEqualTo(10));
        int answered = 0;
        while (!sent.isEmpty()) {
            SubmitRequest next = sent.remove(0);
            channel.writeInbound(accepted(next));
            answered++;
            sent.addAll(submits(channel));
        }

        assertThat(answered).isEqualTo(5);
        assertThat(channel.isOpen()).isFalse();
        Tally.Counts counts = tally.snapshot();
        assertThat(counts.count(Reason.ACCEPTED)).isEqualTo(50);
        assertThat(counts.requests()).isEqualTo(5);
        assertThat(counts.unanswered()).isEmpty();
        assertThat(counts.problems()).isEmpty();
    }

    @Test
    void answersMayComeInAnyOrder() {
        EmbeddedChannel channel = channel(30, 3, 10);
        channel.readOutbound();
        channel.writeInbound(authenticated(1_000, 1_000));
        List<SubmitRequest> sent = submits(channel);
        assertThat(sent).hasSize(3);

        channel.writeInbound(accepted(sent.get(2)), accepted(sent.get(0)), accepted(sent.get(1)));

        assertThat(tally.snapshot().count(Reason.ACCEPTED)).isEqualTo(30);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aRefusedKeyIsAProblemAndSendsNothing() {
        EmbeddedChannel channel = channel(50, 64, 100);
        channel.readOutbound();

        channel.writeInbound(error(0, ErrorCode.UNAUTHENTICATED));

        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
        assertThat(tally.snapshot().problems()).containsOnlyKeys("error UNAUTHENTICATED");
    }

    @Test
    void anErrorForOneRequestLeavesItsMessagesUnansweredAndTheRunGoesOn() {
        EmbeddedChannel channel = channel(20, 1, 10);
        channel.readOutbound();
        channel.writeInbound(authenticated(1_000, 1_000));
        SubmitRequest first = submits(channel).get(0);

        channel.writeInbound(error(first.getRequestId(), ErrorCode.INTERNAL));
        SubmitRequest second = submits(channel).get(0);
        channel.writeInbound(accepted(second));

        Tally.Counts counts = tally.snapshot();
        assertThat(counts.unanswered()).containsEntry("error INTERNAL", 10L);
        assertThat(counts.count(Reason.ACCEPTED)).isEqualTo(10);
        assertThat(counts.requests()).isEqualTo(2);
    }

    @Test
    void submissionsInFlightWhenTheConnectionIsLostAreCountedUnanswered() {
        EmbeddedChannel channel = channel(100, 4, 10);
        channel.readOutbound();
        channel.writeInbound(authenticated(1_000, 1_000));

        channel.close();

        assertThat(tally.snapshot().unanswered()).containsEntry(SubmitHandler.CONNECTION_CLOSED, 40L);
    }

    @Test
    void stoppingCountsWhatIsInFlightUnderTheGivenCause() {
        EmbeddedChannel channel = channel(100, 4, 10);
        channel.readOutbound();
        channel.writeInbound(authenticated(1_000, 1_000));

        channel.pipeline().get(SubmitHandler.class).stop(LoadTest.TIMEOUT);
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(tally.snapshot().unanswered()).containsEntry(LoadTest.TIMEOUT, 40L);
    }

    @Test
    void aConnectionStoppedBeforeItWasAuthenticatedIsAProblem() {
        EmbeddedChannel channel = channel(100, 4, 10);

        channel.pipeline().get(SubmitHandler.class).stop(LoadTest.TIMEOUT);

        assertThat(tally.snapshot().problems()).containsOnlyKeys("not authenticated: timeout");
    }

    @Test
    void aShortResultLeavesTheMissingMessagesUnanswered() {
        EmbeddedChannel channel = channel(10, 1, 10);
        channel.readOutbound();
        channel.writeInbound(authenticated(1_000, 1_000));
        SubmitRequest sent = submits(channel).get(0);

        channel.writeInbound(ServerFrame.newBuilder().setResult(SubmitResponse.newBuilder()
                .setRequestId(sent.getRequestId())
                .addResults(MessageResult.newBuilder().setReason(Reason.NOT_OPTED_IN)))
                .build());

        Tally.Counts counts = tally.snapshot();
        assertThat(counts.count(Reason.NOT_OPTED_IN)).isEqualTo(1);
        assertThat(counts.unanswered()).containsEntry("result missing", 9L);
    }

    private EmbeddedChannel channel(long messages, int inFlight, int batch) {
        Workload workload = new Workload(messages, new BalanceAlerts("run", new Recipients(10)));
        return new EmbeddedChannel(new SubmitHandler(workload, tally, "olk_test", inFlight, batch));
    }

    private static List<SubmitRequest> submits(EmbeddedChannel channel) {
        List<SubmitRequest> submits = new ArrayList<>();
        for (ClientFrame frame = channel.readOutbound(); frame != null; frame = channel.readOutbound()) {
            submits.add(frame.getSubmit());
        }
        return submits;
    }

    private static ServerFrame authenticated(int maxBatchSize, int maxInFlight) {
        return ServerFrame.newBuilder().setAuthenticated(Authenticated.newBuilder()
                .setBusinessId("demo-bank").setMaxBatchSize(maxBatchSize).setMaxInFlight(maxInFlight)).build();
    }

    private static ServerFrame accepted(SubmitRequest request) {
        SubmitResponse.Builder response = SubmitResponse.newBuilder().setRequestId(request.getRequestId());
        request.getMessagesList().forEach(m -> response.addResults(MessageResult.newBuilder()
                .setClientMessageId(m.getClientMessageId()).setReason(Reason.ACCEPTED)));
        return ServerFrame.newBuilder().setResult(response).build();
    }

    private static ServerFrame error(long requestId, ErrorCode code) {
        return ServerFrame.newBuilder().setError(Error.newBuilder().setRequestId(requestId).setCode(code)).build();
    }
}
