package org.optline.server.guard;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The one handler of a connection refused at a cap: as soon as it is active it writes the
 * refusal (a frame the pipeline's encoders understand), then closes, lingering only briefly so
 * that refused connections do not pile up while they are told.
 */
public final class RefusedConnection extends ChannelInboundHandlerAdapter {
    /** Long enough to deliver a refusal; short, since a refused flood must not hold descriptors. */
    public static final long LINGER_MS = 500;
    private final Object refusal;

    public RefusedConnection(Object refusal) {
        this.refusal = refusal;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        LingeringClose.after(ctx.writeAndFlush(refusal), LINGER_MS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
