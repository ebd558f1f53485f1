package org.optline.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;

/**
 * One keep-alive HTTP/1.1 connection to the gateway, carrying one exchange at a time. Replies
 * complete on the connection's event loop.
 */
final class HttpConnection {
    private final Channel channel;
    private final ReplyHandler replies;

    HttpConnection(Channel channel) {
        this.channel = channel;
        this.replies = (ReplyHandler) channel.pipeline().get(HttpClientInitializer.REPLIES);
    }

    /** Connects with a bootstrap whose handler is an {@link HttpClientInitializer}. */
    static CompletableFuture<HttpConnection> open(Bootstrap bootstrap, String host, int port) {
        CompletableFuture<HttpConnection> opened = new CompletableFuture<>();
        ChannelFuture connecting = bootstrap.connect(host, port);
        connecting.addListener(f -> {
            if (f.isSuccess()) {
                opened.complete(new HttpConnection(connecting.channel()));
            } else {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    /** Sends {@code request} and completes with its response; takes ownership of the request. */
    CompletableFuture<HttpReply> exchange(FullHttpRequest request) {
        CompletableFuture<HttpReply> reply = new CompletableFuture<>();
        if (channel.eventLoop().inEventLoop()) {
            send(request, reply);
        } else {
            channel.eventLoop().execute(() -> send(request, reply));
        }
        return reply;
    }

    /** Runs {@code task} on the connection's event loop. */
    void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** Runs {@code task} on the connection's event loop after {@code delay}. */
    void schedule(Runnable task, long delay, java.util.concurrent.TimeUnit unit) {
        channel.eventLoop().schedule(task, delay, unit);
    }

    /** Completes when the connection has closed. */
    CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        return closed;
    }

    void close() {
        channel.close();
    }

    private void send(FullHttpRequest request, CompletableFuture<HttpReply> reply) {
        if (!channel.isActive()) {
            ReferenceCountUtil.release(request);
            reply.completeExceptionally(new ClosedChannelException());
            return;
        }
        try {
            replies.expect(reply);
        } catch (IllegalStateException e) {
            ReferenceCountUtil.release(request);
            reply.completeExceptionally(e);
            return;
        }
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                replies.fail(f.cause());
                channel.close();
            }
        });
    }
}
