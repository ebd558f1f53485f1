package org.optline.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.server.Lifecycle;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.TestBusinesses;

/**
 * The finding: a client that stops reading was never reaped. The idle timeout's closing frame
 * queued behind the unread answers and was never written, so the connection (about 7 MB of
 * answers) and its requests in flight stayed for ever, and a shutdown waited its whole grace
 * period. Now a connection whose answers make no progress for the write timeout is closed, and
 * its requests leave the in-flight count.
 */
class NeverReadingTcpClientTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(
            b -> b.writeTimeout(Duration.ofMillis(500)).idleTimeout(Duration.ofMillis(500)),
            new InMemoryDeliveryQueues());

    /** Each answer is about 200 KB (1 000 refusals with long ids): a few dozen fill every buffer between. */
    private static final int REQUESTS = 40;

    @Test
    void aClientThatNeverReadsItsAnswersIsClosedAndItsRequestsLeaveTheInFlightCount() throws Exception {
        Lifecycle lifecycle = gateway.gateway().context().lifecycle();
        try (Socket socket = new Socket()) {
            // A small receive window that the client never drains.
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway().tcpPort()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(TestBusinesses.BANK_KEY))
                    .build().writeDelimitedTo(out);
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(ServerFrame.parseDelimitedFrom(in).hasAuthenticated()).isTrue();

            Thread writer = new Thread(() -> {
                try {
                    for (int i = 1; i <= REQUESTS; i++) {
                        refusedRequest(i).writeDelimitedTo(out);
                        out.flush();
                    }
                } catch (IOException e) {
                    // The server reset the connection under a blocked write: that is how it ends.
                }
            }, "never-reading-tcp-client");
            writer.setDaemon(true);
            writer.start();

            // Not a timing assertion: the server gets far more than the write timeout to act.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (stalledClosures() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(stalledClosures()).as("connections closed for making no write progress").isEqualTo(1);
            while (lifecycle.inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(lifecycle.inFlight()).as("requests still counted in flight").isZero();
            writer.join(10_000);
            assertThat(resetByServer(socket, deadline)).as("the client finds its connection gone").isTrue();
        }
    }

    private static double stalledClosures() {
        return gateway.gateway().context().registry().get("optline.connections.closed")
                .tag("listener", "tcp").tag("reason", "write_stalled").counter().count();
    }

    /** True once writing fails: the server closed with the client's input unread, so it reset. */
    private static boolean resetByServer(Socket socket, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            try {
                socket.getOutputStream().write(new byte[] {0});
                socket.getOutputStream().flush();
            } catch (IOException e) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static ClientFrame refusedRequest(long requestId) {
        SubmitRequest.Builder request = SubmitRequest.newBuilder().setRequestId(requestId);
        for (int i = 0; i < 1_000; i++) {
            request.addMessages(Message.newBuilder()
                    .setClientMessageId(("never-read-" + requestId + "-" + i + "-").repeat(8))
                    .setRecipient("not a number").setDeclaredCategory(Category.TRANSACTIONAL).setText("hi"));
        }
        return ClientFrame.newBuilder().setSubmit(request).build();
    }
}
