package org.optline.server.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the stream into frames, each prefixed with its length as a protobuf varint32 (the
 * {@code writeDelimitedTo} framing). Unlike Netty's own varint decoder it has a maximum: a
 * length above it fails at once, before any of the body is buffered. After a failure the
 * connection's framing is lost, so everything that follows is dropped unread.
 */
public final class BoundedVarint32FrameDecoder extends ByteToMessageDecoder {
    /**
     * What {@link #readLength} answers while the prefix is incomplete. Lengths are read as longs
     * so that no length, not even 2^32−1, can be mistaken for it.
     */
    private static final long INCOMPLETE = -1;

    private final int maxFrameLength;
    private boolean failed;

    public BoundedVarint32FrameDecoder(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
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
        if (length > maxFrameLength) {
            fail(in);
            throw new TooLongFrameException("frame of " + length + " bytes exceeds the limit of " + maxFrameLength);
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
    }
}
