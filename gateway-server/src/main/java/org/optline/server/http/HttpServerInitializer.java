package org.optline.server.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.optline.server.ServerContext;
import org.optline.server.guard.ConnectionLimits;
import org.optline.server.guard.GuardMetrics;
import org.optline.server.guard.Listener;
import org.optline.server.guard.WriteProgress;

/**
 * The pipeline of an HTTP connection, in this order:
 * <pre>
 * [tls → tls-events] → {@value #CODEC} → {@value #KEEP_ALIVE} → {@value #CREDENTIALS} → {@value #AGGREGATOR} → {@value #IDLE}
 *   → {@value #UPLOAD} → {@value #WRITE_TIMEOUT} → {@value #API}
 * </pre>
 * The codec bounds the request line and headers, the credential check lets only bodies of
 * requests that will be served reach the aggregator, which bounds the body; the idle
 * handler closes silent connections, the write timeout those that stopped reading their answers,
 * and the API handler is the one that talks to the core. The body of a streamed route (an
 * audience upload) passes the aggregator in chunks, counts as activity for the idle handler, and
 * is spooled to disk by the upload handler. A connection over a cap of {@link ConnectionLimits}
 * gets only the codec and a {@link RefusedHttpConnection} (503). A WebSocket upgrade of the push
 * route turns the pipeline into a push subscription ({@link PushUpgrade}).
 */
public final class HttpServerInitializer extends ChannelInitializer<SocketChannel> {
    public static final String CODEC = "http-codec";
    public static final String KEEP_ALIVE = "http-keep-alive";
    public static final String CREDENTIALS = "http-credentials-before-body";
    public static final String AGGREGATOR = "http-aggregator";
    public static final String IDLE = "idle";
    public static final String WRITE_TIMEOUT = "write-timeout";
    public static final String UPLOAD = "http-upload";
    public static final String API = "http-api";
    public static final String LINGER = "http-linger";

    private final ServerContext server;
    private final HttpApi api;
    private final ChannelGroup connections;

    public HttpServerInitializer(ServerContext server, ChannelGroup connections) {
        this.server = server;
        this.api = HttpApi.of(server);
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        var config = server.config();
        server.tls().addTo(channel.pipeline(), channel, Listener.HTTP);
        ConnectionLimits limits = server.guards().connections(Listener.HTTP);
        Optional<GuardMetrics.Refusal> refusal = limits.admit(channel);
        if (refusal.isPresent()) {
            channel.pipeline()
                    .addLast(CODEC, new HttpServerCodec(config.maxInitialLineLength(), config.maxHeaderSize(),
                            config.maxBodySize()))
                    .addLast(API, new RefusedHttpConnection(limits.explain(refusal.get())));
            return;
        }
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(CODEC, new HttpServerCodec(config.maxInitialLineLength(), config.maxHeaderSize(),
                config.maxBodySize()));
        pipeline.addLast(LINGER, new LingeringClose());
        pipeline.addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler());
        pipeline.addLast(CREDENTIALS, new BodyAfterCredentials(api));
        pipeline.addLast(AGGREGATOR, new BoundedAggregator(config.maxBodySize(), api.routes()));
        pipeline.addLast(IDLE, new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast(UPLOAD, new AudienceUploadHandler(api, server.uploads().directory(),
                config.campaignMaxUploadSize(), server.uploads().disk()));
        pipeline.addLast(WRITE_TIMEOUT, new WriteProgress(config.writeTimeout(), Listener.HTTP,
                server.guards().metrics()));
        pipeline.addLast(API, new HttpApiHandler(api, server.lifecycle(), config.httpMaxInFlight(),
                server.guards().unexpected(),
                (ctx, request, recipient) -> PushUpgrade.upgrade(ctx, request, recipient, server)));
    }
}
