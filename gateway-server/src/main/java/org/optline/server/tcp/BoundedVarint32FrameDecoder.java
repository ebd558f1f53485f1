package org.optline.server.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;
import org.optline.server.guard.UnauthenticatedBytes;

/**
 * Splits the stream into frames, each prefixed with its length as a protobuf varint32 (the
 * {@code writeDelimitedTo} framing). Unlike Netty's own varint decoder it has a maximum: a
 * length above it fails at once, before any of the body is buffered. After a failure the
 * connection's framing is lost, so everything that follows is dropped unread.
 *
 * <p>Until {@link #authenticated()} the maximum is the small one of the first frame (an
 * Authenticate is a key and a few bytes), and what the decoder holds of an incomplete frame is
 * taken from a budget that all unauthenticated connections share: a connection that would pass
 * it fails with {@link UnauthenticatedMemoryExceeded}.
 */
public final class BoundedVarint32FrameDecoder extends ByteToMessageDecoder {
    /**
     * What {@link #readLength} answers while the prefix is incomplete. Lengths are read as longs
     * so that no length, not even 2^32−1, can be mistaken for it.
     */
    private static final long INCOMPLETE = -1;

    private final int maxFrameLength;
    /** The limit now: the first frame's until authenticated, then {@link #maxFrameLength}. */
    private int limit;
    /** The shared budget while unauthenticated; null once authenticated (or never needed). */
    private UnauthenticatedBytes budget;
    /** What this connection has taken from the budget. */
    private long reserved;
    private boolean failed;

    /** A decoder with one limit from the first frame on, and no budget. */
    public BoundedVarint32FrameDecoder(int maxFrameLength) {
        this(maxFrameLength, maxFrameLength, null);
    }

    /**
     * A decoder that allows frames of at most {@code unauthenticatedLimit} bytes, held against
     * {@code budget}, until {@link #authenticated()}, and {@code maxFrameLength} after.
     */
    public BoundedVarint32FrameDecoder(int maxFrameLength, int unauthenticatedLimit, UnauthenticatedBytes budget) {
        if (unauthenticatedLimit > maxFrameLength) {
            throw new IllegalArgumentException("the first frame's limit cannot exceed the frame limit");
        }
        this.maxFrameLength = maxFrameLength;
        this.limit = unauthenticatedLimit;
        this.budget = budget;
    }

    /** The connection authenticated: frames up to the full limit, and its memory no longer counted as anonymous. */
    void authenticated() {
        limit = maxFrameLength;
        releaseBudget();
        budget = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        if (budget != null && !failed) {
            holdWithinBudget(ctx);
        }
    }

    /**
     * Takes from the budget what the incomplete frame's buffer now holds (its capacity: that is
     * the memory kept), or gives back what it no longer holds.
     */
    private void holdWithinBudget(ChannelHandlerContext ctx) {
        ByteBuf held = internalBuffer();
        long now = held.isReadable() ? held.capacity() : 0;
        long more = now - reserved;
        if (more <= 0) {
            budget.release(-more);
            reserved = now;
        } else if (budget.tryReserve(more)) {
            reserved = now;
        } else {
            fail(held);
            ctx.fireExceptionCaught(new UnauthenticatedMemoryExceeded(budget.capacity()));
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        long length = readLength(in);
        if (length == INCOMPLETE) {
            in.readerIndex(start);
            return;
        }
        if (length > limit) {
            fail(in);
            throw new TooLongFrameException(limit < maxFrameLength
                    ? "the first frame must be an Authenticate of at most " + limit + " bytes; this one has " + length
                    : "frame of " + length + " bytes exceeds the limit of " + limit);
        }
        if (in.readableBytes() < length) {
            in.readerIndex(start);
            return;
        }
        out.add(in.readRetainedSlice((int) length));
    }

    /** Bytes received and not yet passed on as frames: the start of a frame still incomplete. */
    int bufferedBytes() {
        return internalBuffer().readableBytes();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseBudget();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        releaseBudget();
    }

    /** The length at the reader index, 0 to 2^32−1, or {@link #INCOMPLETE} when more bytes are needed. */
    private long readLength(ByteBuf in) {
        long result = 0;
        for (int i = 0; i < 5; i++) {
            if (!in.isReadable()) {
                return INCOMPLETE;
            }
            int b = in.readUnsignedByte();
            // A fifth byte may carry only the top four bits of a 32-bit length, and no continuation.
            if (i == 4 && b > 0x0F) {
                fail(in);
                throw new CorruptedFrameException("frame length is not a valid varint32");
            }
            result |= (long) (b & 0x7F) << (7 * i);
            if (b < 0x80) {
                return result;
            }
        }
        throw new AssertionError("the fifth byte always ends the varint or fails it");
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
        releaseBudget();
    }

    private void releaseBudget() {
        if (budget != null && reserved > 0) {
            budget.release(reserved);
        }
        reserved = 0;
    }

    /**
     * Connections not yet authenticated together hold as much of their incomplete frames as the
     * node allows them; this one asked for more. Not the client's fault alone, so it is told to
     * retry rather than that its frame was wrong.
     */
    static final class UnauthenticatedMemoryExceeded extends DecoderException {
        private static final long serialVersionUID = 1L;

        UnauthenticatedMemoryExceeded(long capacity) {
            super("connections that have not authenticated hold their budget of " + capacity + " bytes");
        }
    }
}
