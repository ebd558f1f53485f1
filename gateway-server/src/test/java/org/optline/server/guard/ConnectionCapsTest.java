package org.optline.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.ServerFrame;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.TestBusinesses;

/**
 * The finding: there was no limit on connections, so at the process's file-descriptor limit both
 * listeners stopped accepting and honest clients were refused. Now each listener has a cap in all
 * and per client address; a connection over one is told so (TCP: TOO_MANY_CONNECTIONS with
 * retry_after_ms; HTTP: 503 with a JSON body and Retry-After) and closed, and counted. Loopback
 * has many addresses (127.0.0.0/8), which stand in for several clients.
 */
class ConnectionCapsTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(
            b -> b.tcpMaxConnections(3, 2).httpMaxConnections(3, 2), new InMemoryDeliveryQueues());

    private final List<Socket> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (Socket socket : open) {
            socket.close();
        }
        // The gateway counts a connection out when it sees it closed, a moment later.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((gateway.gateway().context().guards().connections(Listener.TCP).open() > 0
                || gateway.gateway().context().guards().connections(Listener.HTTP).open() > 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private Socket connect(String from, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        open.add(socket);
        return socket;
    }

    private Socket tcp(String from) throws IOException {
        return connect(from, gateway.gateway().tcpPort());
    }

    private static ServerFrame authenticate(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(TestBusinesses.BANK_KEY))
                .build().writeDelimitedTo(out);
        out.flush();
        return ServerFrame.parseDelimitedFrom(socket.getInputStream());
    }

    private static double refused(String listener, String reason) {
        return gateway.gateway().context().registry().get("optline.connections.refused")
                .tag("listener", listener).tag("reason", reason).counter().count();
    }

    @Test
    void aTcpClientOverItsAddressCapIsToldAndClosedWhileAnotherAddressIsServed() throws IOException {
        double before = refused("tcp", "address_limit");
        assertThat(authenticate(tcp("127.0.0.1")).hasAuthenticated()).isTrue();
        assertThat(authenticate(tcp("127.0.0.1")).hasAuthenticated()).isTrue();

        Socket third = tcp("127.0.0.1");
        ServerFrame refusal = authenticate(third);
        assertThat(refusal.getError().getCode()).isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS);
        assertThat(refusal.getError().getDetail()).contains("your address");
        assertThat(refusal.getError().getRetryAfterMs()).isPositive();
        assertThat(third.getInputStream().read()).as("closed after the refusal").isEqualTo(-1);
        assertThat(refused("tcp", "address_limit")).isEqualTo(before + 1);

        assertThat(authenticate(tcp("127.0.0.2")).hasAuthenticated()).as("another address").isTrue();
    }

    @Test
    void aTcpClientOverTheListenersCapIsToldAndAPlaceFreesWhenAConnectionCloses() throws Exception {
        Socket first = tcp("127.0.0.1");
        assertThat(authenticate(first).hasAuthenticated()).isTrue();
        assertThat(authenticate(tcp("127.0.0.2")).hasAuthenticated()).isTrue();
        assertThat(authenticate(tcp("127.0.0.3")).hasAuthenticated()).isTrue();

        ServerFrame refusal = authenticate(tcp("127.0.0.4"));
        assertThat(refusal.getError().getCode()).isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS);
        assertThat(refusal.getError().getDetail()).contains("limit of 3 connections");

        first.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (gateway.gateway().context().guards().connections(Listener.TCP).open() > 2
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(authenticate(tcp("127.0.0.4")).hasAuthenticated()).isTrue();
    }

    @Test
    void anHttpClientOverItsAddressCapGets503WithAJsonBodyAndIsClosed() throws IOException {
        double before = refused("http", "address_limit");
        assertThat(statusLine(get(connect("127.0.0.1", gateway.gateway().httpPort())))).contains("200");
        assertThat(statusLine(get(connect("127.0.0.1", gateway.gateway().httpPort())))).contains("200");

        Socket third = connect("127.0.0.1", gateway.gateway().httpPort());
        String response = readAll(get(third));
        assertThat(response).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 1")
                .containsIgnoringCase("connection: close")
                .contains("{\"reason\":\"TOO_MANY_CONNECTIONS\",\"detail\":\"your address holds its limit of 2");
        assertThat(refused("http", "address_limit")).isEqualTo(before + 1);
    }

    private static Socket get(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The status line; the connection stays open, as a keep-alive answer leaves it. */
    private static String statusLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }

    /** Everything until the server closes. */
    private static String readAll(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
