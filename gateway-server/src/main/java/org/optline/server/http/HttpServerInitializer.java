package org.optline.server.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.optline.server.ServerContext;

/**
 * The pipeline of an HTTP connection, in this order:
 * <pre>
 * {@value #CODEC} → {@value #KEEP_ALIVE} → {@value #AGGREGATOR} → {@value #IDLE} → {@value #UPLOAD} → {@value #API}
 * </pre>
 * The codec bounds the request line and headers, the aggregator bounds the body, the idle
 * handler closes silent connections, and the API handler is the one that talks to the core. The
 * body of a streamed route (an audience upload) passes the aggregator in chunks, counts as
 * activity for the idle handler, and is spooled to disk by the upload handler.
 */
public final class HttpServerInitializer extends ChannelInitializer<SocketChannel> {
    public static final String CODEC = "http-codec";
    public static final String KEEP_ALIVE = "http-keep-alive";
    public static final String AGGREGATOR = "http-aggregator";
    public static final String IDLE = "idle";
    public static final String UPLOAD = "http-upload";
    public static final String API = "http-api";

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
        connections.add(channel);
        var config = server.config();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(CODEC, new HttpServerCodec(config.maxInitialLineLength(), config.maxHeaderSize(),
                config.maxBodySize()));
        pipeline.addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler());
        pipeline.addLast(AGGREGATOR, new BoundedAggregator(config.maxBodySize(), api.routes()));
        pipeline.addLast(IDLE, new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast(UPLOAD, new AudienceUploadHandler(api, server.uploads().directory(),
                config.campaignMaxUploadSize(), server.uploads().disk()));
        pipeline.addLast(API, new HttpApiHandler(api, server.lifecycle(), config.httpMaxInFlight()));
    }
}
