package org.optline.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.optline.server.guard.LingeringClose;
import org.optline.server.guard.RefusedConnection;

/**
 * The last handler of an HTTP connection refused at a cap: answers its first request 503
 * {@code TOO_MANY_CONNECTIONS} with {@code Retry-After} and {@code Connection: close}, then
 * closes. Answering a request rather than writing at once keeps to HTTP (an answer before any
 * request confuses clients); a client that sends nothing is closed after a short wait.
 */
final class RefusedHttpConnection extends ChannelInboundHandlerAdapter {
    /** How long a refused client has to send its request head. */
    private static final long WAIT_FOR_REQUEST_MS = 2_000;
    private final String detail;
    private boolean answered;
    private ScheduledFuture<?> giveUp;

    RefusedHttpConnection(String detail) {
        this.detail = detail;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        giveUp = ctx.executor().schedule(() -> {
            ctx.close();
        }, WAIT_FOR_REQUEST_MS, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean request = msg instanceof HttpRequest;
        ReferenceCountUtil.release(msg);
        if (!request || answered) {
            return;
        }
        answered = true;
        giveUp.cancel(false);
        FullHttpResponse response = Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "TOO_MANY_CONNECTIONS", detail)
                .header(HttpHeaderNames.RETRY_AFTER.toString(), 1)
                .header(HttpHeaderNames.CONNECTION.toString(), HttpHeaderValues.CLOSE)
                .encode(false);
        LingeringClose.after(ctx.writeAndFlush(response), RefusedConnection.LINGER_MS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
