package org.optline.server.flow;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;

/**
 * Decides when one connection reads, for every listener alike: only while its unanswered
 * requests are under their bound, the socket takes more output (a client that stops reading its
 * answers stops being read), and no back-off is asked for. Reading stops at the bound and
 * resumes once half of the unanswered requests are answered. Used on the channel's event loop
 * only, so it needs no locking.
 */
public final class ReadGate {
    private final int maxInFlight;
    private int inFlight;
    private boolean backingOff;
    private boolean closed;

    public ReadGate(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("at least one request must be allowed in flight");
        }
        this.maxInFlight = maxInFlight;
    }

    /** A request was taken on. */
    public void started(Channel channel) {
        inFlight++;
        update(channel);
    }

    /** A request was answered. */
    public void finished(Channel channel) {
        inFlight--;
        update(channel);
    }

    /** Reading pauses until {@link #endBackOff} (the caller schedules it). */
    public void beginBackOff(Channel channel) {
        backingOff = true;
        update(channel);
    }

    public void endBackOff(Channel channel) {
        backingOff = false;
        update(channel);
    }

    public boolean isBackingOff() {
        return backingOff;
    }

    /** Nothing more is read from this connection, ever: it answers what it has, then closes. */
    public void close(Channel channel) {
        closed = true;
        channel.config().setAutoRead(false);
    }

    public int inFlight() {
        return inFlight;
    }

    /** Looks again, after the socket's writability or anything else changed. */
    public void update(Channel channel) {
        ChannelConfig config = channel.config();
        boolean writable = channel.isWritable();
        if (config.isAutoRead()) {
            if (closed || inFlight >= maxInFlight || !writable || backingOff) {
                config.setAutoRead(false);
            }
        } else if (!closed && inFlight <= maxInFlight / 2 && writable && !backingOff) {
            config.setAutoRead(true);
        }
    }
}
