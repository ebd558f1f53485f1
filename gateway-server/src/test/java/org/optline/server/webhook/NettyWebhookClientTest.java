package org.optline.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
}
