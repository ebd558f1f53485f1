package org.optline.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Transition;
import org.optline.core.message.Category;
import org.optline.core.testing.MutableClock;
import org.optline.core.webhook.OutboxEvent;
import org.optline.core.webhook.WebhookRegistration;
import org.optline.core.webhook.WebhookSecret;

/** The webhook client on one event loop of its own, against name servers and receivers the test runs. */
class NettyWebhookClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final MutableClock clock = new MutableClock();
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private NettyWebhookClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static WebhookRegistration registration(String url) {
        return new WebhookRegistration("bank", URI.create(url),
                List.of(new WebhookSecret("s", "whsec_test", Instant.EPOCH, null)), Instant.EPOCH);
    }

    private static List<OutboxEvent> oneEvent() {
        return List.of(new OutboxEvent(1, new Transition("m-1", "bank", "c-1", "+4479•••0001",
                Category.TRANSACTIONAL, MessageState.DELIVERED, Instant.EPOCH, Instant.EPOCH, "")));
    }

    @Test
    void aHostWhoseNameServerNeverAnswersNeverHoldsTheEventLoop() throws Exception {
        // A name server that takes every query and never answers.
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            AddressResolverGroup<InetSocketAddress> resolver = NettyWebhookClient.dnsResolver(NioSocketChannel.class,
                    NioDatagramChannel.class, new SingletonDnsServerAddressStreamProvider(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort())), TIMEOUT);
            client = new NettyWebhookClient(loop, NioSocketChannel.class, resolver, clock, TIMEOUT);

            CompletableFuture<Integer> sent = client.send(registration("http://hooks.example.com:8080/optline"),
                    oneEvent());
            DatagramPacket query = new DatagramPacket(new byte[512], 512);
            silent.setSoTimeout(10_000);
            silent.receive(query);
            assertThat(new String(query.getData(), 0, query.getLength(), StandardCharsets.ISO_8859_1))
                    .as("the lookup is a DNS query from the loop, not the JDK's blocking one").contains("hooks");
            // Anything else on the loop (admission connections share it) runs while the lookup waits.
            boolean lookupStillWaiting = loop.submit(() -> !sent.isDone()).get(10, TimeUnit.SECONDS);

            assertThat(lookupStillWaiting).as("the loop ran a task while the name server kept quiet").isTrue();
            assertThatThrownBy(() -> sent.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    /**
     * A receiver on a plain socket, so that the test decides what happens to each connection:
     * answers 200 and keeps the connection, or asks to close it, or drops a reused connection
     * instead of answering.
     */
    private static final class RawReceiver implements AutoCloseable {
        private final ServerSocket server;
        private final List<AtomicInteger> requestsPerConnection = new CopyOnWriteArrayList<>();
        private final ExecutorService threads = Executors.newCachedThreadPool();
        volatile boolean answerConnectionClose;
        /** Drops the first connection when its second request arrives, as a server that timed it out would. */
        volatile boolean dropFirstConnectionOnReuse;

        RawReceiver() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            threads.execute(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        AtomicInteger requests = new AtomicInteger();
                        requestsPerConnection.add(requests);
                        int index = requestsPerConnection.size() - 1;
                        threads.execute(() -> serve(socket, index, requests));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
        }

        int connections() {
            return requestsPerConnection.size();
        }

        private void serve(Socket socket, int index, AtomicInteger requests) {
            try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
                 OutputStream out = socket.getOutputStream()) {
                while (true) {
                    int length = readHeaders(in);
                    if (length < 0) {
                        return;
                    }
                    in.readNBytes(length);
                    if (requests.incrementAndGet() == 2 && index == 0 && dropFirstConnectionOnReuse) {
                        return;
                    }
                    boolean close = answerConnectionClose;
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + (close ? "Connection: close\r\n" : "")
                            + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (close) {
                        return;
                    }
                }
            } catch (IOException gone) {
                // The client closed: nothing to answer.
            }
        }

        /** Reads a request's head; its Content-Length, or -1 at the end of the stream. */
        private static int readHeaders(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    for (String line : head.toString().split("\r\n")) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            return Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    return 0;
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }

    private NettyWebhookClient plainClient() {
        return new NettyWebhookClient(loop, NioSocketChannel.class, DefaultAddressResolverGroup.INSTANCE, clock,
                Duration.ofSeconds(10));
    }

    @Test
    void aBusinesssBatchesShareOneKeptAliveConnection() throws Exception {
        try (RawReceiver receiver = new RawReceiver()) {
            client = plainClient();
            for (int i = 0; i < 3; i++) {
                assertThat(client.send(registration(receiver.url()), oneEvent()).get(10, TimeUnit.SECONDS))
                        .isEqualTo(200);
            }
            assertThat(receiver.connections()).isEqualTo(1);
        }
    }

    @Test
    void aKeptConnectionTheReceiverDroppedAsItWasReusedIsReplacedWithoutAFailedAttempt() throws Exception {
        try (RawReceiver receiver = new RawReceiver()) {
            receiver.dropFirstConnectionOnReuse = true;
            client = plainClient();

            assertThat(client.send(registration(receiver.url()), oneEvent()).get(10, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(client.send(registration(receiver.url()), oneEvent()).get(10, TimeUnit.SECONDS))
                    .as("sent again on a new connection").isEqualTo(200);
            assertThat(receiver.connections()).isEqualTo(2);
        }
    }

    @Test
    void aReceiverThatAsksToCloseGetsANewConnectionEachTime() throws Exception {
        try (RawReceiver receiver = new RawReceiver()) {
            receiver.answerConnectionClose = true;
            client = plainClient();

            for (int i = 0; i < 2; i++) {
                assertThat(client.send(registration(receiver.url()), oneEvent()).get(10, TimeUnit.SECONDS))
                        .isEqualTo(200);
            }
            assertThat(receiver.connections()).isEqualTo(2);
        }
    }
}
