package org.optline.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Ping;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestHttp;
import org.optline.server.testing.TestTcpClient;

class TcpProtocolTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private static Message alert(String clientMessageId, String recipient) {
        return Message.newBuilder()
                .setClientMessageId(clientMessageId)
                .setRecipient(recipient)
                .setDeclaredCategory(Category.TRANSACTIONAL)
                .setText("Your balance is 120.50 EUR")
                .build();
    }

    private static ClientFrame submit(long requestId, Message... messages) {
        return ClientFrame.newBuilder().setSubmit(SubmitRequest.newBuilder()
                .setRequestId(requestId).addAllMessages(List.of(messages))).build();
    }

    private static String optedInRecipient() {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, TestBusinesses.BANK, "TRANSACTIONAL_CLASS");
        return recipient;
    }

    @Test
    void authenticationAnswersWithTheBusinessAndItsBounds() {
        try (TestTcpClient client = gateway.tcp()) {
            ServerFrame answer = client.authenticate(TestBusinesses.BANK_KEY);
            assertThat(answer.getAuthenticated().getBusinessId()).isEqualTo(TestBusinesses.BANK);
            assertThat(answer.getAuthenticated().getMaxBatchSize()).isEqualTo(1000);
            assertThat(answer.getAuthenticated().getMaxInFlight()).isPositive();
        }
    }

    @Test
    void aWrongKeyGetsUnauthenticatedAndTheConnectionCloses() {
        try (TestTcpClient client = gateway.tcp()) {
            ServerFrame answer = client.authenticate("olk_not_a_key");
            assertThat(answer.getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void theFirstFrameMustAuthenticate() {
        try (TestTcpClient client = gateway.tcp()) {
            client.send(submit(7, alert("tcp-noauth", Recipients.next())));
            ServerFrame answer = client.receive();
            assertThat(answer.getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(answer.getError().getRequestId()).isEqualTo(7);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void twoHundredPipelinedRequestsAreEachAnsweredWithTheirRequestId() {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            recipients.add(optedInRecipient());
        }
        try (TestTcpClient client = gateway.tcp()) {
            client.authenticate(TestBusinesses.BANK_KEY);
            int requests = 200;
            for (int r = 0; r < requests; r++) {
                client.write(submit(1_000 + r,
                        alert("pipelined-" + r + "-a", recipients.get(r % recipients.size())),
                        alert("pipelined-" + r + "-b", recipients.get((r + 1) % recipients.size()))));
            }
            client.flush();
            Set<Long> answered = new HashSet<>();
            for (int r = 0; r < requests; r++) {
                ServerFrame frame = client.receive();
                assertThat(frame.hasResult()).as("frame %s", frame).isTrue();
                long requestId = frame.getResult().getRequestId();
                assertThat(frame.getResult().getResultsList())
                        .extracting(MessageResult::getClientMessageId)
                        .containsExactly("pipelined-" + (requestId - 1_000) + "-a",
                                "pipelined-" + (requestId - 1_000) + "-b");
                assertThat(frame.getResult().getResultsList())
                        .extracting(MessageResult::getReason).containsOnly(Reason.ACCEPTED);
                answered.add(requestId);
            }
            assertThat(answered).hasSize(requests);
            assertThat(answered).allMatch(id -> id >= 1_000 && id < 1_000 + requests);
        }
    }

    @Test
    void eachMessageOfABatchGetsItsOwnOutcome() {
        String optedIn = optedInRecipient();
        try (TestTcpClient client = gateway.tcp()) {
            client.authenticate(TestBusinesses.BANK_KEY);
            client.send(submit(1,
                    alert("mixed-1", optedIn),
                    alert("mixed-2", Recipients.next()),
                    alert("mixed-3", "+1"),
                    alert("mixed-1", optedIn)));
            List<MessageResult> results = client.receive().getResult().getResultsList();
            assertThat(results).extracting(MessageResult::getReason).containsExactly(
                    Reason.ACCEPTED, Reason.NOT_OPTED_IN, Reason.INVALID_RECIPIENT, Reason.ACCEPTED);
            assertThat(results.get(3).getDuplicate()).isTrue();
            assertThat(results.get(3).getMessageId()).isEqualTo(results.get(0).getMessageId());
        }
    }

    @Test
    void aBatchOverTheLimitIsRefusedAndTheConnectionStays() {
        try (TestTcpClient client = gateway.tcp()) {
            client.authenticate(TestBusinesses.BANK_KEY);
            SubmitRequest.Builder tooMany = SubmitRequest.newBuilder().setRequestId(9);
            for (int i = 0; i < 1001; i++) {
                tooMany.addMessages(alert("too-many-" + i, "+447911100000"));
            }
            client.send(ClientFrame.newBuilder().setSubmit(tooMany).build());
            ServerFrame answer = client.receive();
            assertThat(answer.getError().getCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(answer.getError().getRequestId()).isEqualTo(9);
            client.send(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(5)).build());
            assertThat(client.receive().getPong().getNonce()).isEqualTo(5);
        }
    }

    @Test
    void aGarbageFrameGetsMalformedFrameWhileAnotherClientIsStillServed() {
        String recipient = optedInRecipient();
        try (TestTcpClient bad = gateway.tcp(); TestTcpClient good = gateway.tcp()) {
            bad.authenticate(TestBusinesses.BANK_KEY);
            good.authenticate(TestBusinesses.BANK_KEY);
            // A length of 5 followed by bytes that are no protobuf message (field 0 is invalid).
            bad.writeRaw(new byte[] {5, 0, 0, 0, 0, 0});
            ServerFrame answer = bad.receive();
            assertThat(answer.getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(bad.isClosedByServer()).isTrue();

            good.send(submit(1, alert("after-garbage", recipient)));
            assertThat(good.receive().getResult().getResults(0).getReason()).isEqualTo(Reason.ACCEPTED);
        }
    }

    @Test
    void aCorruptLengthPrefixGetsMalformedFrame() {
        try (TestTcpClient client = gateway.tcp()) {
            client.writeRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F});
            assertThat(client.receive().getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void anOversizedFrameGetsFrameTooLargeWhileAnotherClientIsStillServed() {
        String recipient = optedInRecipient();
        try (TestTcpClient big = gateway.tcp(); TestTcpClient good = gateway.tcp()) {
            big.authenticate(TestBusinesses.BANK_KEY);
            // Announces 16 MiB; the server refuses on the prefix alone.
            big.writeRaw(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08});
            assertThat(big.receive().getError().getCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(big.isClosedByServer()).isTrue();

            good.authenticate(TestBusinesses.BANK_KEY);
            good.send(submit(2, alert("after-oversized", recipient)));
            assertThat(good.receive().getResult().getResults(0).getReason()).isEqualTo(Reason.ACCEPTED);
        }
    }

    @Test
    void pingIsAnsweredWithPong() {
        try (TestTcpClient client = gateway.tcp()) {
            client.authenticate(TestBusinesses.BANK_KEY);
            client.send(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(42)).build());
            assertThat(client.receive().getPong().getNonce()).isEqualTo(42);
        }
    }

    @Test
    void tcpAndHttpShareOneIdempotencyWindow() {
        String recipient = optedInRecipient();
        TestHttp http = gateway.http();
        var first = http.postJson("/v1/messages", TestBusinesses.BANK_KEY,
                TestHttp.message("shared-window", recipient, "TRANSACTIONAL", "Your balance is 3 EUR"));
        assertThat(first.body()).contains("\"ACCEPTED\"");
        try (TestTcpClient client = gateway.tcp()) {
            client.authenticate(TestBusinesses.BANK_KEY);
            client.send(submit(3, alert("shared-window", recipient)));
            MessageResult retry = client.receive().getResult().getResults(0);
            assertThat(retry.getDuplicate()).isTrue();
            assertThat(first.body()).contains(retry.getMessageId());
        }
    }

    @Test
    void framesAfterAWrongKeyInTheSameReadAreNotLookedAt() throws Exception {
        String recipient = optedInRecipient();
        java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
        ClientFrame.newBuilder().setAuthenticate(org.optline.proto.v1.Authenticate.newBuilder().setApiKey("olk_wrong"))
                .build().writeDelimitedTo(packet);
        ClientFrame.newBuilder().setAuthenticate(org.optline.proto.v1.Authenticate.newBuilder()
                .setApiKey(TestBusinesses.BANK_KEY)).build().writeDelimitedTo(packet);
        submit(1, alert("after-wrong-key", recipient)).writeDelimitedTo(packet);
        try (TestTcpClient client = gateway.tcp()) {
            client.writeRaw(packet.toByteArray());
            assertThat(client.receive().getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(gateway.queues().peek(org.optline.core.recipient.PhoneNumber.parse(recipient).orElseThrow(), 10).join())
                .extracting(org.optline.core.queue.QueuedMessage::clientMessageId)
                .doesNotContain("after-wrong-key");
    }

    @Test
    void anOptOutAcknowledgedOverHttpRefusesTheNextMessageOnAnAlreadyOpenConnection() {
        String recipient = optedInRecipient();
        try (TestTcpClient client = gateway.tcp()) {
            client.authenticate(TestBusinesses.BANK_KEY);
            client.send(submit(1, alert("before-opt-out", recipient)));
            assertThat(client.receive().getResult().getResults(0).getReason()).isEqualTo(Reason.ACCEPTED);

            gateway.http().consent(recipient, TestBusinesses.BANK, "OPT_OUT", "TRANSACTIONAL_CLASS");

            client.send(submit(2, alert("after-opt-out", recipient)));
            assertThat(client.receive().getResult().getResults(0).getReason()).isEqualTo(Reason.OPTED_OUT);
        }
    }
}
