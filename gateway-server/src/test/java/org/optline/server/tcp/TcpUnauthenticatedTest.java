package org.optline.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.Ping;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestTcpClient;

/**
 * What a TCP connection may do before it authenticates: send one small frame, hold little memory,
 * and only for a while. The finding: before authentication a frame could be 4 MiB, and 150
 * anonymous connections each sending part of one exhausted direct memory and killed honest
 * connections.
 */
class TcpUnauthenticatedTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(
            b -> b.tcpAuthenticationTimeout(Duration.ofSeconds(3)), new InMemoryDeliveryQueues());

    private static final int FOUR_MIB = 4 * 1024 * 1024;

    private static byte[] varint(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7F) != 0) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
        return out.toByteArray();
    }

    @Test
    void aLargeFirstFrameIsRefusedOnItsLengthAlone() {
        try (TestTcpClient client = gateway.tcp()) {
            client.writeRaw(varint(FOUR_MIB));
            ServerFrame answer = client.receive();
            assertThat(answer.getError().getCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(answer.getError().getDetail()).contains("first frame");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void manyAnonymousConnectionsSendingPartOfALargeFrameLeaveHonestClientsServed() throws Exception {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, TestBusinesses.BANK, "TRANSACTIONAL_CLASS");
        try (TestTcpClient before = gateway.tcp()) {
            assertThat(before.authenticate(TestBusinesses.BANK_KEY).hasAuthenticated()).isTrue();
            List<Socket> flood = new ArrayList<>();
            try {
                byte[] part = new byte[64 * 1024];
                byte[] prefix = varint(FOUR_MIB);
                System.arraycopy(prefix, 0, part, 0, prefix.length);
                for (int i = 0; i < 150; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway().tcpPort()), 5_000);
                    socket.setSoTimeout(10_000);
                    flood.add(socket);
                    writeIgnoringResets(socket, part);
                }
                // Each is refused: it announced a frame far beyond what precedes authentication.
                for (Socket socket : flood) {
                    assertThat(refused(socket)).isTrue();
                }
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }
            before.send(submit(1, recipient, "flood-before"));
            assertThat(before.receive().getResult().getResults(0).getReason()).isEqualTo(Reason.ACCEPTED);
        }
        try (TestTcpClient after = gateway.tcp()) {
            assertThat(after.authenticate(TestBusinesses.BANK_KEY).hasAuthenticated()).isTrue();
            after.send(submit(2, recipient, "flood-after"));
            assertThat(after.receive().getResult().getResults(0).getReason()).isEqualTo(Reason.ACCEPTED);
        }
        assertThat(gateway.gateway().context().guards().tcpUnauthenticated().held()).isZero();
    }

    @Test
    void authenticateAndALargeRequestInOneWriteAreBothServed() throws IOException {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, TestBusinesses.BANK, "TRANSACTIONAL_CLASS");
        SubmitRequest.Builder request = SubmitRequest.newBuilder().setRequestId(3);
        for (int i = 0; i < 1_000; i++) {
            request.addMessages(message(recipient, "one-write-" + i + "-" + recipient));
        }
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(TestBusinesses.BANK_KEY))
                .build().writeDelimitedTo(both);
        ClientFrame.newBuilder().setSubmit(request).build().writeDelimitedTo(both);
        assertThat(both.size()).as("far above the first frame's limit").isGreaterThan(50_000);
        try (TestTcpClient client = gateway.tcp()) {
            client.writeRaw(both.toByteArray());
            assertThat(client.receive().hasAuthenticated()).isTrue();
            assertThat(client.receive().getResult().getResultsCount()).isEqualTo(1_000);
        }
    }

    @Test
    void aConnectionThatOnlyPingsIsClosedWhenTheAuthenticationTimeoutPasses() {
        try (TestTcpClient client = gateway.tcp()) {
            client.send(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(1)).build());
            assertThat(client.receive().hasPong()).isTrue();
            // The read blocks (at most the client's 10 s timeout) until the server gives up on it.
            ServerFrame answer = client.receive();
            assertThat(answer.getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    /** True when the server answered with an error frame and closed, or reset the connection. */
    private static boolean refused(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            ServerFrame frame = ServerFrame.parseDelimitedFrom(in);
            if (frame != null && frame.getError().getCode() != ErrorCode.FRAME_TOO_LARGE) {
                return false;
            }
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void writeIgnoringResets(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // The server may refuse and close before it has read all of this: that is the point.
        }
    }

    private static Message message(String recipient, String id) {
        return Message.newBuilder().setClientMessageId(id).setRecipient(recipient)
                .setDeclaredCategory(Category.TRANSACTIONAL).setText("Your balance is 10 EUR").build();
    }

    private static ClientFrame submit(long requestId, String recipient, String id) {
        return ClientFrame.newBuilder().setSubmit(SubmitRequest.newBuilder().setRequestId(requestId)
                .addMessages(message(recipient, id))).build();
    }

}
