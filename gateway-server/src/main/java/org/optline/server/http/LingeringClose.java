package org.optline.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that was refused mid-request without losing the answer that says why.
 * Closing a socket while the client is still sending (the rest of an oversized body, requests
 * pipelined after a bad one) makes the kernel reset the connection, and the reset can throw the
 * answer away on the client's side before it is read: the client sees "connection reset" instead
 * of the 413. So, as web servers do, a close of such a connection shuts the output down (the
 * answer is already written, then FIN), reads and drops whatever still arrives, and closes when
 * the client closes its side or after {@link #LINGER}, whichever comes first. Nothing read is
 * kept: a client that keeps sending costs reads, never memory. Other closes pass straight on.
 *
 * <p>Sits between the HTTP codec and the handlers that close (keep-alive, the API handler), so
 * that every close of the connection comes through it.
 */
final class LingeringClose extends ChannelOutboundHandlerAdapter {
    /** Long enough for a client on any sane link to see the answer and stop; short enough to hold no socket long. */
    static final Duration LINGER = Duration.ofSeconds(2);
    private static final AttributeKey<Boolean> WANTED = AttributeKey.valueOf("optline.http.linger");

    private boolean lingering;

    /** The next close of this connection lingers: it was refused while the client may still be sending. */
    static void request(Channel channel) {
        channel.attr(WANTED).set(Boolean.TRUE);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        Channel channel = ctx.channel();
        if (lingering) {
            channel.closeFuture().addListener(closed -> promise.trySuccess());
            return;
        }
        if (!Boolean.TRUE.equals(channel.attr(WANTED).get()) || !(channel instanceof DuplexChannel duplex)
                || !channel.isActive()) {
            ctx.close(promise);
            return;
        }
        lingering = true;
        channel.closeFuture().addListener(closed -> promise.trySuccess());
        var deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, LINGER.toMillis(), TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> deadline.cancel(false));
        channel.pipeline().addFirst(new Discard());
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                ctx.close();
            }
        });
        // Reads are driven here, whatever the connection's read gate said: it stopped reading for
        // the API, and draining is what lets the client's last bytes go.
        channel.read();
    }

    /** Drops every byte that arrives; the client's end of the stream closes the channel (no half-closure). */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
