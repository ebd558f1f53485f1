package org.optline.server.guard;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose answers have made no progress for the write timeout: bytes wait to
 * be written and the client's socket has taken none of them for that long. Such a client has
 * stopped reading; reading from it stopped long before (see ReadGate), and a closing frame
 * would only queue behind the unread answers, so the connection is closed as it is. Its
 * unwritten answers fail, which counts their requests out of flight, so a shutdown does not
 * wait for them. A client that reads, however slowly, makes progress and stays.
 */
public final class WriteProgress extends ChannelInboundHandlerAdapter {
    /** How often to look, as a fraction of the timeout: the close comes at most a quarter late. */
    private static final int CHECKS_PER_TIMEOUT = 4;

    private final long timeoutNanos;
    private final Listener listener;
    private final GuardMetrics metrics;
    private ScheduledFuture<?> check;
    /** What the outbound buffer looked like at the last look: its head, how far into it, how much in all. */
    private Object lastHead;
    private long lastHeadProgress;
    private long lastPending;
    private long lastProgressAt;

    public WriteProgress(Duration timeout, Listener listener, GuardMetrics metrics) {
        this.timeoutNanos = timeout.toNanos();
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void start(ChannelHandlerContext ctx) {
        if (check != null) {
            return;
        }
        lastProgressAt = System.nanoTime();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), timeoutNanos / CHECKS_PER_TIMEOUT);
        check = ctx.executor().scheduleAtFixedRate(() -> look(ctx), period, period, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        if (check != null) {
            check.cancel(false);
        }
    }

    private void look(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        long now = System.nanoTime();
        if (buffer == null) {
            stop();
            return;
        }
        long pending = buffer.totalPendingWriteBytes();
        Object head = buffer.current();
        long headProgress = buffer.currentProgress();
        if (pending == 0 || head != lastHead || headProgress != lastHeadProgress || pending < lastPending) {
            lastProgressAt = now;
        } else if (now - lastProgressAt >= timeoutNanos) {
            stop();
            metrics.closed(listener, GuardMetrics.Closure.WRITE_STALLED);
            ctx.channel().close();
        }
        lastHead = head;
        lastHeadProgress = headProgress;
        lastPending = pending;
    }
}
