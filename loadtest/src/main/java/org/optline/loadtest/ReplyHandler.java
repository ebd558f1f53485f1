package org.optline.loadtest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;

/**
 * Completes the exchange in flight on an HTTP connection with its response, or fails it when
 * the connection breaks first. Stateful, so one per connection; runs on its event loop.
 */
final class ReplyHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private CompletableFuture<HttpReply> pending;

    /** Waits for the reply to the request about to be written; one at a time (no pipelining). */
    void expect(CompletableFuture<HttpReply> reply) {
        if (pending != null) {
            throw new IllegalStateException("an exchange is already in flight on this connection");
        }
        pending = reply;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        CompletableFuture<HttpReply> reply = pending;
        pending = null;
        if (reply == null) {
            // a response to nothing: the connection no longer pairs requests with responses
            ctx.close();
            return;
        }
        reply.complete(HttpReply.of(response));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(new ClosedChannelException());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
        ctx.close();
    }

    /** Fails the exchange in flight, if any: its request could not be sent. */
    void fail(Throwable cause) {
        CompletableFuture<HttpReply> reply = pending;
        pending = null;
        if (reply != null) {
            reply.completeExceptionally(cause);
        }
    }
}
