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
 * length above it fails at once, before any of the body is buffered.
 */
public final class BoundedVarint32FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameLength;

    public BoundedVarint32FrameDecoder(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        in.markReaderIndex();
        int length = readVarint32(in);
        if (length == -1) {
            in.resetReaderIndex();
            return;
        }
        // A five-byte varint can carry 2^31 and more, which reads as a negative int.
        if (length < 0 || length > maxFrameLength) {
            throw new TooLongFrameException("frame of " + Integer.toUnsignedString(length)
                    + " bytes exceeds the limit of " + maxFrameLength);
        }
        if (in.readableBytes() < length) {
            in.resetReaderIndex();
            return;
        }
        out.add(in.readRetainedSlice(length));
    }

    /** The varint at the reader index, or -1 when more bytes are needed. */
    private static int readVarint32(ByteBuf in) {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!in.isReadable()) {
                return -1;
            }
            byte b = in.readByte();
            if (shift == 28 && (b & 0xF0) != 0) {
                // A fifth byte may only carry the top four bits of a 32-bit length.
                throw new CorruptedFrameException("frame length is not a valid varint32");
            }
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new CorruptedFrameException("frame length is not a valid varint32");
    }
}
