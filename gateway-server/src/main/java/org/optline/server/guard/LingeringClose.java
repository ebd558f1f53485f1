package org.optline.server.guard;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after its last answer so that the client can read that answer: closing a
 * socket with unread input makes the kernel send a reset, and a client that was still sending
 * may then lose the error that explains why. So the node stops sending (FIN), drops whatever the
 * client still sends, and closes when the client does, or after {@link #LINGER_MS} at most.
 * A last answer that cannot be written at all is the stalled-writer case, reaped by the write
 * timeout.
 */
public final class LingeringClose {
    /** Long enough for a client to read the error and stop; short enough that a refused client goes soon. */
    static final long LINGER_MS = 2_000;
    private static final String DISCARD = "lingering-close-discard";

    private LingeringClose() {}

    /** Closes the channel once {@code lastWrite} is written, as above; at once if it fails. */
    public static void after(ChannelFuture lastWrite) {
        after(lastWrite, LINGER_MS);
    }

    /** The same, lingering at most {@code lingerMillis}. */
    public static void after(ChannelFuture lastWrite, long lingerMillis) {
        Channel channel = lastWrite.channel();
        lastWrite.addListener(written -> {
            if (!written.isSuccess() || !channel.isActive() || !(channel instanceof DuplexChannel duplex)) {
                // Without a half-close there is nothing to linger on.
                channel.close();
                return;
            }
            if (channel.pipeline().get(DISCARD) == null) {
                channel.pipeline().addFirst(DISCARD, Discard.INSTANCE);
            }
            channel.config().setAutoRead(true);
            duplex.shutdownOutput();
            channel.eventLoop().schedule(() -> channel.close(), lingerMillis, TimeUnit.MILLISECONDS);
        });
    }

    /** Drops everything the client still sends while the connection lingers. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        static final Discard INSTANCE = new Discard();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
