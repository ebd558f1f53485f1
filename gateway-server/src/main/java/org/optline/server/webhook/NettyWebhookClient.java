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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.optline.core.webhook.OutboxEvent;
import org.optline.core.webhook.WebhookRegistration;
import org.optline.core.webhook.WebhookSignature;
import org.optline.core.webhook.WebhookTransport;
import org.optline.server.wire.WebhookWire;

/**
 * Sends webhook batches with Netty's HTTP client on the gateway's own event loops: one connection
 * per request (a business has at most one request out at a time), the body printed and signed on
 * the connection's event loop, and the whole exchange bounded by the webhook timeout, so a receiver
 * that trickles its answer counts as failed. Completes with the status, or fails with the cause.
 *
 * <p>A webhook's host name is the business's choice, and so is how slowly its DNS answers: it is
 * resolved by Netty's asynchronous DNS resolver (the system's name servers and hosts file, answers
 * cached for their TTL), never by the JDK's lookup, which would block the event loop that also
 * serves admission connections.
 *
 * <p>The pipeline: [TLS for https] → {@value #CODEC} → {@value #AGGREGATOR} → {@value #ANSWER}.
 */
public final class NettyWebhookClient implements WebhookTransport, AutoCloseable {
    static final String TLS = "tls";
    static final String CODEC = "http-client-codec";
    static final String AGGREGATOR = "http-client-aggregator";
    static final String ANSWER = "webhook-answer";
    /** The receiver's body is not read, only its status; a small bound keeps a chatty one cheap. */
    private static final int MAX_ANSWER = 64 * 1024;
    static final String USER_AGENT = "Optline-Webhooks/1";
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final InstantSource clock;
    private final Duration timeout;
    private volatile SslContext tls;

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

    /** Releases the resolvers (their sockets); the event loops are the gateway's to stop. */
    @Override
    public void close() {
        resolver.close();
    }

    @Override
    public CompletableFuture<Integer> send(WebhookRegistration registration, List<OutboxEvent> events) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        URI url = registration.url();
        boolean https = "https".equals(url.getScheme().toLowerCase(Locale.ROOT));
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        String host = url.getHost();
        SslContext context;
        try {
            context = https ? tls() : null;
        } catch (SSLException e) {
            return CompletableFuture.failedFuture(e);
        }
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
                            pipeline.addLast(TLS, context.newHandler(channel.alloc(), host, port));
                        }
                        pipeline.addLast(CODEC, new HttpClientCodec());
                        pipeline.addLast(AGGREGATOR, new HttpObjectAggregator(MAX_ANSWER));
                        pipeline.addLast(ANSWER, new Answer(status));
                    }
                });
        ChannelFuture connect = bootstrap.connect(host, port);
        Channel channel = connect.channel();
        // The whole exchange, connect to answer, within the timeout.
        var deadline = channel.eventLoop().schedule(() -> {
            if (status.completeExceptionally(new TimeoutException("no answer within " + timeout))) {
                channel.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        status.whenComplete((answered, failure) -> deadline.cancel(false));
        connect.addListener(connected -> {
            if (!connected.isSuccess()) {
                status.completeExceptionally(connected.cause());
                return;
            }
            channel.writeAndFlush(request(registration, host, port, https, events)).addListener(written -> {
                if (!written.isSuccess()) {
                    status.completeExceptionally(written.cause());
                    channel.close();
                }
            });
        });
        return status;
    }

    /** Printed and signed on the event loop, at the moment of sending, so each attempt has a fresh timestamp. */
    private FullHttpRequest request(WebhookRegistration registration, String host, int port, boolean https,
                                    List<OutboxEvent> events) {
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
        boolean defaultPort = port == (https ? 443 : 80);
        request.headers()
                .set(HttpHeaderNames.HOST, defaultPort ? host : host + ":" + port)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
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

    /** Completes the status with the receiver's answer, or fails it when the connection ends first. */
    private static final class Answer extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<Integer> status;

        Answer(CompletableFuture<Integer> status) {
            this.status = status;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            status.complete(response.status().code());
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            status.completeExceptionally(new ClosedChannelException());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A receiver that resets, or answers what is not HTTP, is an attempt that failed: counted, not logged.
            status.completeExceptionally(cause);
            ctx.close();
        }
    }
}
