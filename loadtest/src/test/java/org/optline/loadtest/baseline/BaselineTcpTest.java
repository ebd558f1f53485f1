package org.optline.loadtest.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.Authenticated;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Ping;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.proto.v1.SubmitResponse;

/** The baseline's binary protocol over loopback, as the load-test client and the gateway speak it. */
class BaselineTcpTest {
    @RegisterExtension
    static final BaselineServerExtension baseline = new BaselineServerExtension();

    private static final ClientFrame AUTHENTICATE = ClientFrame.newBuilder()
            .setAuthenticate(Authenticate.newBuilder().setApiKey("olk_any_key")).build();

    @Test
    void anyKeyIsAuthenticatedWithTheGatewaysDefaultLimits() throws IOException {
        try (FrameSocket client = FrameSocket.connect(baseline.tcpPort())) {
            client.write(AUTHENTICATE).flush();

            Authenticated granted = client.read().getAuthenticated();

            assertThat(granted.getMaxBatchSize()).isEqualTo(1_000);
            assertThat(granted.getMaxInFlight()).isEqualTo(256);
            assertThat(granted.getBusinessId()).isNotEmpty();
        }
    }

    @Test
    void everyPipelinedSubmitIsAnsweredWithItsRequestIdAndOneAcceptedResultPerMessage() throws IOException {
        List<List<Message>> batches = List.of(Messages.batch("a", 1), Messages.batch("b", 3), Messages.batch("c", 5));
        try (FrameSocket client = FrameSocket.connect(baseline.tcpPort())) {
            client.write(AUTHENTICATE);
            for (int i = 0; i < batches.size(); i++) {
                client.write(submit(i + 1, batches.get(i)));
            }
            client.flush();

            assertThat(client.read().hasAuthenticated()).isTrue();
            Set<String> messageIds = new HashSet<>();
            for (int i = 0; i < batches.size(); i++) {
                SubmitResponse response = client.read().getResult();
                assertThat(response.getRequestId()).isEqualTo(i + 1);
                List<Message> sent = batches.get(i);
                assertThat(response.getResultsList()).hasSameSizeAs(sent);
                for (int m = 0; m < sent.size(); m++) {
                    MessageResult result = response.getResults(m);
                    assertThat(result.getReason()).isEqualTo(Reason.ACCEPTED);
                    assertThat(result.getClientMessageId()).isEqualTo(sent.get(m).getClientMessageId());
                    assertThat(result.getCategory()).isEqualTo(sent.get(m).getDeclaredCategory());
                    assertThat(result.getMessageId()).hasSize(36);
                    assertThat(UUID.fromString(result.getMessageId()).version()).isEqualTo(7);
                    messageIds.add(result.getMessageId());
                }
            }
            assertThat(messageIds).hasSize(9);
        }
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsNonce() throws IOException {
        try (FrameSocket client = FrameSocket.connect(baseline.tcpPort())) {
            client.write(AUTHENTICATE)
                    .write(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(42)).build())
                    .flush();

            client.read();
            ServerFrame pong = client.read();

            assertThat(pong.getPong().getNonce()).isEqualTo(42);
        }
    }

    @Test
    void aMalformedFrameClosesThatConnectionAndNoOther() throws IOException {
        try (FrameSocket healthy = FrameSocket.connect(baseline.tcpPort());
             FrameSocket broken = FrameSocket.connect(baseline.tcpPort())) {
            healthy.write(AUTHENTICATE).flush();
            assertThat(healthy.read().hasAuthenticated()).isTrue();
            broken.write(AUTHENTICATE).flush();
            assertThat(broken.read().hasAuthenticated()).isTrue();

            // Three bytes of frame: field 1, length-delimited, announcing five bytes that never come.
            broken.writeRaw(new byte[] {3, 0x0A, 0x05, 0x01}).flush();

            assertThat(broken.read().getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(broken.read()).isNull();
            healthy.write(submit(7, Messages.batch("after", 2))).flush();
            SubmitResponse response = healthy.read().getResult();
            assertThat(response.getRequestId()).isEqualTo(7);
            assertThat(response.getResultsList()).extracting(MessageResult::getReason)
                    .containsExactly(Reason.ACCEPTED, Reason.ACCEPTED);
        }
    }

    @Test
    void aFrameOverTheLimitIsRefusedBeforeItsBodyAndTheConnectionCloses() throws IOException {
        try (FrameSocket client = FrameSocket.connect(baseline.tcpPort())) {
            // The varint32 length 4 MiB + 1 alone: the answer must not wait for the body.
            client.writeRaw(varint32(Limits.MAX_FRAME_BYTES + 1)).flush();

            assertThat(client.read().getError().getCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(client.read()).isNull();
        }
    }

    @Test
    void aSubmitBeforeAuthenticatingIsRefusedAndTheConnectionCloses() throws IOException {
        try (FrameSocket client = FrameSocket.connect(baseline.tcpPort())) {
            client.write(submit(3, Messages.batch("early", 1))).flush();

            ServerFrame refusal = client.read();

            assertThat(refusal.getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(refusal.getError().getRequestId()).isEqualTo(3);
            assertThat(client.read()).isNull();
        }
    }

    @Test
    void aBatchOverTheLimitIsAnInvalidRequestAndTheConnectionStays() throws IOException {
        try (FrameSocket client = FrameSocket.connect(baseline.tcpPort())) {
            client.write(AUTHENTICATE)
                    .write(submit(5, Messages.batch("big", Limits.MAX_BATCH_SIZE + 1)))
                    .write(submit(6, Messages.batch("fits", Limits.MAX_BATCH_SIZE)))
                    .flush();

            client.read();
            ServerFrame refusal = client.read();
            ServerFrame answer = client.read();

            assertThat(refusal.getError().getCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(refusal.getError().getRequestId()).isEqualTo(5);
            assertThat(answer.getResult().getRequestId()).isEqualTo(6);
            assertThat(answer.getResult().getResultsCount()).isEqualTo(Limits.MAX_BATCH_SIZE);
        }
    }

    private static ClientFrame submit(long requestId, List<Message> messages) {
        return ClientFrame.newBuilder()
                .setSubmit(SubmitRequest.newBuilder().setRequestId(requestId).addAllMessages(messages))
                .build();
    }

    private static byte[] varint32(int value) throws IOException {
        byte[] bytes = new byte[CodedOutputStream.computeUInt32SizeNoTag(value)];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeUInt32NoTag(value);
        out.flush();
        return bytes;
    }
}
