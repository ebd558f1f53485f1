package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.server.testing.GatewayExtension;

/**
 * A client that pipelines requests and never reads the answers must not grow the gateway's
 * outbound buffer without bound: once the socket takes no more output the gateway stops reading
 * that connection, and the client's own writes block instead. The answers the gateway holds are
 * counted in flight until written, so that count bounds what it buffers.
 */
class NeverReadingClientTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    /** About 40 MB of requests: more than the kernel buffers of both ends hold, so the writes must block. */
    private static final int REQUESTS = 1_000_000;
    private static final byte[] REQUEST =
            "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Answers of one read of 64 KiB of requests, and some: far below what no bound would hold. */
    private static final int MOST_HELD = 10_000;

    @Test
    void theGatewayStopsReadingAClientThatNeverReadsItsAnswers() throws Exception {
        int mostInFlight = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway().httpPort()), 5_000);
            Thread writer = new Thread(() -> writeEverything(socket), "never-reading-client");
            writer.setDaemon(true);
            writer.start();

            // Watch for a while: the writer either finishes (it would, if the gateway read on
            // regardless) or blocks on a full socket. Either way, the held answers stay few.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                mostInFlight = Math.max(mostInFlight, gateway.gateway().context().lifecycle().inFlight());
                Thread.sleep(20);
            }
            writer.join(100);
            assertThat(writer.isAlive()).as("the client's writes block: the gateway stopped reading").isTrue();
        }
        assertThat(mostInFlight).as("answers the gateway held at most").isLessThan(MOST_HELD);
    }

    private static void writeEverything(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            byte[] chunk = new byte[REQUEST.length * 1_000];
            for (int i = 0; i < 1_000; i++) {
                System.arraycopy(REQUEST, 0, chunk, i * REQUEST.length, REQUEST.length);
            }
            for (int i = 0; i < REQUESTS / 1_000; i++) {
                out.write(chunk);
            }
            out.flush();
        } catch (IOException closed) {
            // The test closed the socket under a blocked write: that is how it ends.
        }
    }
}
