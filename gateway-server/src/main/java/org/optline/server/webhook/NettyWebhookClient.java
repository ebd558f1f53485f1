package org.optline.server.webhook;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.optline.core.webhook.OutboxEvent;
import org.optline.core.webhook.WebhookRegistration;
import org.optline.core.webhook.WebhookSignature;
import org.optline.core.webhook.WebhookTransport;
import org.optline.server.flow.Disconnects;
import org.optline.server.wire.WebhookWire;

/**
 * Sends webhook batches with Netty's HTTP client on the gateway's own event loops, the body
 * printed and signed on the connection's event loop, and each exchange bounded by the webhook
 * timeout, so a receiver that trickles its answer counts as failed. Completes with the status, or
 * fails with the cause.
 *
 * <p>Connections are kept alive: each business has at most one request out at a time, so it keeps
 * at most one idle connection to its receiver, reused by its next batch (no new TCP or TLS
 * handshake per request) and closed after {@value #IDLE_SECONDS} s unused, or at once when the
 * receiver answers {@code Connection: close}. A receiver may close an idle connection just as a
 * batch is sent on it: a request on a reused connection that fails because the connection went
 * away is sent once more on a new one (events are idempotent by their id).
 *
 * <p>A webhook's host name is the business's choice, and so is how slowly its DNS answers: it is
 * resolved by Netty's asynchronous DNS resolver (the system's name servers and hosts file, answers
 * cached for their TTL), never by the JDK's lookup, which would block the event loop that also
 * serves admission connections.
 *
 * <p>The pipeline: [TLS for https] → {@value #CODEC} → {@value #AGGREGATOR} → {@value #IDLE} →
 * {@value #ANSWER}.
 */
public final class NettyWebhookClient implements WebhookTransport, AutoCloseable {
    static final String TLS = "tls";
    static final String CODEC = "http-client-codec";
    static final String AGGREGATOR = "http-client-aggregator";
    static final String IDLE = "idle";
    static final String ANSWER = "webhook-answer";
    /** The receiver's body is not read, only its status; a small bound keeps a chatty one cheap. */
    private static final int MAX_ANSWER = 64 * 1024;
    /** Under the 60 s idle timeouts of most servers and load balancers, so we close first. */
    static final int IDLE_SECONDS = 30;
    static final String USER_AGENT = "Optline-Webhooks/1";
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final InstantSource clock;
    private final Duration timeout;
    /** Each business's idle connection, with where it goes; bounded by the configured businesses. */
    private final Map<String, Idle> idle = new ConcurrentHashMap<>();
    private volatile SslContext tls;

    /** Where a webhook goes: a connection is reused only for the same scheme, host and port. */
    private record Origin(boolean https, String host, int port) {
        static Origin of(URI url) {
            boolean https = "https".equals(url.getScheme().toLowerCase(Locale.ROOT));
            return new Origin(https, url.getHost(), url.getPort() > 0 ? url.getPort() : https ? 443 : 80);
        }
    }

    private record Idle(Origin origin, Channel channel) {}

    /**
     * A client on {@code group}, resolving with the system's name servers over {@code datagramType}
     * (and {@code channelType} for answers too long for UDP).
     */
    public NettyWebhookClient(EventLoopGroup group, Class<? extends SocketChannel> channelType,
                              Class<? extends DatagramChannel> datagramType, InstantSource clock, Duration timeout) {
        this(group, channelType, dnsResolver(channelType, datagramType,
                DnsServerAddressStreamProviders.platformDefault(), timeout), clock, timeout);
    }

    NettyWebhookClient(EventLoopGroup group, Class<? extends SocketChannel> channelType,
                       AddressResolverGroup<InetSocketAddress> resolver, InstantSource clock, Duration timeout) {
        this.group = group;
        this.channelType = channelType;
        this.resolver = resolver;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Netty's asynchronous resolver, asking {@code nameServers}; a lookup gives up after the webhook timeout. */
    static AddressResolverGroup<InetSocketAddress> dnsResolver(Class<? extends SocketChannel> channelType,
                                                               Class<? extends DatagramChannel> datagramType,
                                                               DnsServerAddressStreamProvider nameServers,
                                                               Duration timeout) {
        return new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(datagramType)
                .socketChannelType(channelType)
                .nameServerProvider(nameServers)
                .queryTimeoutMillis(Math.max(1, timeout.toMillis())));
    }

    /** Closes the idle connections and releases the resolvers; the event loops are the gateway's to stop. */
    @Override
    public void close() {
        idle.values().forEach(parked -> parked.channel().close());
        idle.clear();
        resolver.close();
    }

    @Override
    public CompletableFuture<Integer> send(WebhookRegistration registration, List<OutboxEvent> events) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Origin origin = Origin.of(registration.url());
        SslContext context;
        try {
            context = origin.https() ? tls() : null;
        } catch (SSLException e) {
            return CompletableFuture.failedFuture(e);
        }
        // The connection in use, closed if the whole exchange outlives the timeout.
        AtomicReference<Channel> inUse = new AtomicReference<>();
        var deadline = group.next().schedule(() -> {
            if (status.completeExceptionally(new TimeoutException("no answer within " + timeout))) {
                Channel channel = inUse.get();
                if (channel != null) {
                    channel.close();
                }
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        status.whenComplete((answered, failure) -> deadline.cancel(false));

        Idle parked = idle.remove(registration.businessId());
        if (parked != null && parked.origin().equals(origin) && parked.channel().isActive()) {
            exchange(parked.channel(), true, registration, events, origin, context, status, inUse);
        } else {
            if (parked != null) {
                parked.channel().close();
            }
            connectAndExchange(registration, events, origin, context, status, inUse);
        }
        return status;
    }

    private void connectAndExchange(WebhookRegistration registration, List<OutboxEvent> events, Origin origin,
                                    SslContext context, CompletableFuture<Integer> status,
                                    AtomicReference<Channel> inUse) {
        String businessId = registration.businessId();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .resolver(resolver)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (context != null) {
                            pipeline.addLast(TLS, context.newHandler(channel.alloc(), origin.host(), origin.port()));
                        }
                        pipeline.addLast(CODEC, new HttpClientCodec());
                        pipeline.addLast(AGGREGATOR, new HttpObjectAggregator(MAX_ANSWER));
                        pipeline.addLast(IDLE, new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
                        pipeline.addLast(ANSWER, new Answer(businessId, origin));
                    }
                });
        ChannelFuture connect = bootstrap.connect(origin.host(), origin.port());
        inUse.set(connect.channel());
        if (status.isDone()) {
            connect.channel().close();
            return;
        }
        connect.addListener(connected -> {
            if (!connected.isSuccess()) {
                status.completeExceptionally(connected.cause());
                return;
            }
            exchange(connect.channel(), false, registration, events, origin, context, status, inUse);
        });
    }

    /** One request on {@code channel}; on a reused one that went away meanwhile, once more on a new one. */
    private void exchange(Channel channel, boolean reused, WebhookRegistration registration, List<OutboxEvent> events,
                          Origin origin, SslContext context, CompletableFuture<Integer> status,
                          AtomicReference<Channel> inUse) {
        inUse.set(channel);
        CompletableFuture<Integer> attempt = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (status.isDone()) {
                channel.close();
                return;
            }
            channel.pipeline().get(Answer.class).expect(attempt);
            channel.writeAndFlush(request(registration, origin, events)).addListener(written -> {
                if (!written.isSuccess()) {
                    attempt.completeExceptionally(written.cause());
                    channel.close();
                }
            });
        });
        attempt.whenComplete((code, failure) -> {
            if (failure == null) {
                status.complete(code);
            } else if (reused && !status.isDone() && Disconnects.isPeerGone(unwrapped(failure))) {
                // The receiver closed the idle connection as we used it: nothing was answered; a new one.
                connectAndExchange(registration, events, origin, context, status, inUse);
            } else {
                status.completeExceptionally(failure);
            }
        });
    }

    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Keeps a connection whose exchange is over for the business's next batch. */
    private void park(String businessId, Origin origin, Channel channel) {
        Idle previous = idle.put(businessId, new Idle(origin, channel));
        if (previous != null && previous.channel() != channel) {
            previous.channel().close();
        }
    }

    /** Forgets a connection that closed while idle. */
    private void forget(String businessId, Channel channel) {
        idle.computeIfPresent(businessId, (id, parked) -> parked.channel() == channel ? null : parked);
    }

    /** Printed and signed on the event loop, at the moment of sending, so each attempt has a fresh timestamp. */
    private FullHttpRequest request(WebhookRegistration registration, Origin origin, List<OutboxEvent> events) {
        URI url = registration.url();
        byte[] body;
        try {
            body = JSON.print(WebhookWire.batch(events)).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("every optline.v1 message prints as JSON", e);
        }
        Instant now = clock.instant();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(body));
        boolean defaultPort = origin.port() == (origin.https() ? 443 : 80);
        request.headers()
                .set(HttpHeaderNames.HOST, defaultPort ? origin.host() : origin.host() + ":" + origin.port())
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(WebhookSignature.HEADER, WebhookSignature.header(now.getEpochSecond(), body,
                        registration.signingSecrets(now)));
        return request;
    }

    private SslContext tls() throws SSLException {
        SslContext context = tls;
        if (context == null) {
            synchronized (this) {
                if (tls == null) {
                    // The JDK's trust store and hostname verification: a receiver proves it is the URL's host.
                    tls = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
                }
                context = tls;
            }
        }
        return context;
    }

    /**
     * One connection's exchanges, one at a time: completes the request's status with the receiver's
     * answer, or fails it when the connection ends first; then keeps the connection for the
     * business's next batch, unless the receiver asked to close it. On the connection's event loop.
     */
    private final class Answer extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final String businessId;
        private final Origin origin;
        /** The exchange in progress; null while the connection is idle. */
        private CompletableFuture<Integer> expected;

        Answer(String businessId, Origin origin) {
            this.businessId = businessId;
            this.origin = origin;
        }

        void expect(CompletableFuture<Integer> status) {
            expected = status;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            CompletableFuture<Integer> status = expected;
            expected = null;
            if (status == null) {
                ctx.close();
                return;
            }
            // Parked before the status completes, so that the business's next batch finds it.
            if (HttpUtil.isKeepAlive(response) && ctx.channel().isActive()) {
                park(businessId, origin, ctx.channel());
            } else {
                ctx.close();
            }
            status.complete(response.status().code());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent && expected == null) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            forget(businessId, ctx.channel());
            if (expected != null) {
                expected.completeExceptionally(new ClosedChannelException());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A receiver that resets, or answers what is not HTTP, is an attempt that failed: counted, not logged.
            if (expected != null) {
                expected.completeExceptionally(cause);
            }
            ctx.close();
        }
    }
}
