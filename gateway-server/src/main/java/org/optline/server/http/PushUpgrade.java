package org.optline.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.optline.core.recipient.PhoneNumber;
import org.optline.server.ServerContext;
import org.optline.server.push.PushSubscriptionHandler;

/**
 * Turns an HTTP connection into a push subscription: the WebSocket handshake for a GET of the push
 * route that the route table authenticated, then the pipeline becomes
 * <pre>
 * wsdecoder → wsencoder → {@value #AGGREGATOR} → {@value #IDLE} → {@value #SUBSCRIPTION}
 * </pre>
 * (the handshake puts the WebSocket codec where the HTTP codec was and drops the body aggregator).
 */
final class PushUpgrade {
    static final String AGGREGATOR = "ws-aggregator";
    static final String IDLE = "ws-idle";
    static final String SUBSCRIPTION = "push-subscription";
    /** A command is a list of at most 1 000 ids: well under 64 KiB. */
    private static final int MAX_FRAME = 64 * 1024;

    private PushUpgrade() {}

    /** True for a request that asks to become a WebSocket. */
    static boolean isUpgrade(FullHttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Shakes hands and installs the subscription; answers a version Netty does not speak with 426. */
    static void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, PhoneNumber recipient,
                        ServerContext server) {
        String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null, false, MAX_FRAME)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        // What served HTTP requests goes; the handshake swaps the codec itself.
        pipeline.remove(HttpServerInitializer.KEEP_ALIVE);
        pipeline.remove(HttpServerInitializer.CREDENTIALS);
        pipeline.remove(HttpServerInitializer.UPLOAD);
        pipeline.remove(HttpServerInitializer.IDLE);
        var config = server.config();
        long ping = config.pushPingInterval().toMillis();
        pipeline.addLast(AGGREGATOR, new WebSocketFrameAggregator(MAX_FRAME));
        pipeline.addLast(IDLE, new IdleStateHandler(2 * ping, ping, 0, TimeUnit.MILLISECONDS));
        handshaker.handshake(ctx.channel(), request).addListener(done -> {
            if (done.isSuccess()) {
                // A client that does not read for as long as one that says nothing is given up on.
                pipeline.addLast(SUBSCRIPTION, new PushSubscriptionHandler(server.inbox(), recipient,
                        config.pushWindow(), config.delivery().defaultLease(), Duration.ofMillis(2 * ping)));
            } else {
                ctx.close();
            }
        });
        pipeline.remove(HttpServerInitializer.API);
    }
}
