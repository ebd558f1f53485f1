package org.optline.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Credential;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestHttp;

/**
 * Ten thousand idle push subscriptions on one gateway (a child process, so that each side has its
 * own file descriptors and the gateway's heap is its own): every one is open and counted. It also
 * prints the gateway's heap per subscription, measured after a full GC before and after; that
 * figure goes in docs/benchmarks.md ("Idle push subscriptions"), never into an assertion.
 *
 * <p>Tagged "capacity": not in {@code ./mvnw verify} (it needs {@code ulimit -n} of about 20 000
 * and tens of seconds); docs/benchmarks.md has the command that runs it.
 */
@Tag("capacity")
class PushCapacityTest {
    private static final int SUBSCRIPTIONS = Integer.getInteger("optline.push.subscriptions", 10_000);
    /** Handshakes in flight at once: under the listener's backlog of 1 024. */
    private static final int CONCURRENT_CONNECTS = 500;

    @TempDir
    Path temp;

    private GatewayProcess child;
    private EventLoopGroup group;

    @AfterEach
    void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (child != null) {
            child.close();
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void tenThousandIdleSubscriptionsStayOpen() throws Exception {
        child = GatewayProcess.start(writeConfig(), Duration.ofSeconds(60));
        TestHttp http = TestHttp.on(child.httpPort());
        Heap before = heapAfterGc(http);

        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        AtomicInteger subscribed = new AtomicInteger();
        List<Channel> channels = new ArrayList<>(SUBSCRIPTIONS);
        for (int first = 0; first < SUBSCRIPTIONS; first += CONCURRENT_CONNECTS) {
            List<ChannelFuture> connects = new ArrayList<>();
            for (int i = first; i < Math.min(SUBSCRIPTIONS, first + CONCURRENT_CONNECTS); i++) {
                connects.add(subscribe(String.format("+4479112%05d", i), subscribed));
            }
            for (ChannelFuture connect : connects) {
                channels.add(connect.sync().channel());
            }
            int expected = Math.min(SUBSCRIPTIONS, first + CONCURRENT_CONNECTS);
            waitFor(() -> subscribed.get() >= expected);
        }
        assertThat(subscribed.get()).isEqualTo(SUBSCRIPTIONS);
        assertThat(metric(http.get("/metrics", null).body(), "optline_push_subscribers")).isEqualTo(SUBSCRIPTIONS);
        assertThat(channels).allMatch(Channel::isActive);

        Heap after = heapAfterGc(http);
        System.out.printf("push subscriptions: %d open; gateway heap after GC %.1f MiB -> %.1f MiB (%.1f KiB per"
                        + " subscription); direct buffers %.1f MiB -> %.1f MiB; RSS %.1f MiB -> %.1f MiB%n",
                SUBSCRIPTIONS, before.heap / 1048576.0, after.heap / 1048576.0,
                (after.heap - before.heap) / 1024.0 / SUBSCRIPTIONS, before.direct / 1048576.0,
                after.direct / 1048576.0, before.rss / 1048576.0, after.rss / 1048576.0);
    }

    private ChannelFuture subscribe(String recipient, AtomicInteger subscribed) {
        URI uri = URI.create("ws://127.0.0.1:" + child.httpPort() + "/v1/inbox/%2B" + recipient.substring(1) + "/push");
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Authorization", "Bearer " + TestBusinesses.PLATFORM_KEY);
        return new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                uri, WebSocketVersion.V13, null, false, headers)),
                        new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                            private boolean first = true;

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                if (first && frame.text().contains("subscribed")) {
                                    first = false;
                                    subscribed.incrementAndGet();
                                }
                            }
                        });
            }
        }).connect("127.0.0.1", child.httpPort());
    }

    private record Heap(long heap, long direct, long rss) {}

    /** The child's heap in use right after a full GC (jcmd GC.run), its direct buffers, and its resident set. */
    private Heap heapAfterGc(TestHttp http) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        for (int i = 0; i < 2; i++) {
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(child.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(gc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        String metrics = http.get("/metrics", null).body();
        long heap = 0;
        Matcher m = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",[^}]*} ([0-9.E+]+)").matcher(metrics);
        while (m.find()) {
            heap += (long) Double.parseDouble(m.group(1));
        }
        Matcher direct = Pattern.compile("jvm_buffer_memory_used_bytes\\{id=\"direct\"} ([0-9.E+]+)").matcher(metrics);
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(child.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new Heap(heap, direct.find() ? (long) Double.parseDouble(direct.group(1)) : 0, rss);
    }

    private static long metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.E+]+)$").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private static void waitFor(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("subscriptions not open within 60 s");
            }
            Thread.sleep(10);
        }
    }

    private Path writeConfig() throws IOException {
        String properties = String.join("\n",
                "storage=rocksdb",
                "data.dir=" + temp.resolve("data").toString().replace("\\", "\\\\"),
                "http.port=0",
                "tcp.port=0",
                "demo.enabled=false",
                // Every subscription comes from this one address: lift the per-address cap above them.
                "http.max-connections-per-address=20000",
                "http.max-connections=20000",
                "platform.key-sha256=" + Credential.sha256Hex(TestBusinesses.PLATFORM_KEY),
                "business.capacity-bank.key-sha256=" + Credential.sha256Hex("olk_capacity_bank"),
                "");
        Path file = temp.resolve("optline.properties");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
        return file;
    }
}
