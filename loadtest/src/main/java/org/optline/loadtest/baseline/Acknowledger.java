package org.optline.loadtest.baseline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * What the baseline's TCP and HTTP handlers share: answers are written as requests are read and
 * flushed once at the end of the read, and a peer that does not read its answers is not read
 * either until they drain — the gateway's own flush and back-pressure, so the comparison is fair.
 */
abstract class Acknowledger<I> extends SimpleChannelInboundHandler<I> {
    /** True when this read wrote an answer that still waits for the flush at the end of the read. */
    protected boolean unflushed;
    /** Set when the connection is closing: nothing more is read or answered. */
    protected boolean closing;

    @Override
    public final void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public final void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !closing) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }
}
