package org.optline.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.optline.server.guard.UnauthenticatedBytes;

/**
 * The TCP frame decoder against a reference decoder written for reading, not speed: for any
 * bytes, cut into any pieces, it passes on exactly the reference's frames in order, fails only as
 * documented (too large, not a varint32, the anonymous memory budget), never holds more than one
 * frame's worth, and never takes more of the shared budget than it has or keeps any after close.
 * The saved inputs in FrameDecoderFuzzTestInputs replay with every build.
 */
class FrameDecoderFuzzTest {
    private static final int LIMIT = 1024;
    private static final int FIRST_FRAME_LIMIT = 64;

    /** What the reference makes of a stream: its frames, and how it ends. */
    private record Reference(List<byte[]> frames, String end) {}

    /**
     * The first byte chooses: bit 0, authenticate after the first frame; bits 1-3, the budget's
     * size; the rest is the stream, cut into pieces by a generator seeded from all of it.
     */
    @FuzzTest(maxDuration = "5m")
    void passesOnExactlyTheReferenceFramesAndHoldsNoMoreThanAFrame(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean authenticate = (input[0] & 1) != 0;
        int budgetBytes = 64 << ((input[0] >> 1) & 7);
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        Reference reference = reference(stream, authenticate);

        UnauthenticatedBytes budget = new UnauthenticatedBytes(budgetBytes);
        BoundedVarint32FrameDecoder decoder = new BoundedVarint32FrameDecoder(LIMIT, FIRST_FRAME_LIMIT, budget);
        List<byte[]> frames = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf frame = (ByteBuf) msg;
                byte[] bytes = new byte[frame.readableBytes()];
                frame.readBytes(bytes);
                frame.release();
                if (frames.isEmpty() && authenticate) {
                    decoder.authenticated();
                }
                frames.add(bytes);
            }
        });
        String end = "incomplete";
        Random pieces = new Random(Arrays.hashCode(input));
        int offset = 0;
        while (offset < stream.length) {
            int length = Math.min(stream.length - offset, 1 + pieces.nextInt(Math.max(1, stream.length / 3 + 1)));
            try {
                channel.writeInbound(Unpooled.wrappedBuffer(stream, offset, length));
            } catch (TooLongFrameException e) {
                end = "too long";
            } catch (CorruptedFrameException e) {
                end = "corrupt";
            } catch (BoundedVarint32FrameDecoder.UnauthenticatedMemoryExceeded e) {
                end = "budget";
            }
            offset += length;
            assertThat(decoder.bufferedBytes()).as("bytes held").isLessThanOrEqualTo(LIMIT + 5);
            assertThat(budget.held()).as("budget taken").isLessThanOrEqualTo(budgetBytes);
        }

        assertThat(frames.size()).isLessThanOrEqualTo(reference.frames().size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i)).as("frame %d", i).isEqualTo(reference.frames().get(i));
        }
        if (!end.equals("budget")) {
            assertThat(frames).as("every frame the reference reads").hasSameSizeAs(reference.frames());
            assertThat(end).isEqualTo(reference.end());
        }
        channel.finishAndReleaseAll();
        assertThat(budget.held()).as("budget kept after close").isZero();
    }

    /** Reads the stream the slow, obvious way. */
    private static Reference reference(byte[] stream, boolean authenticate) {
        List<byte[]> frames = new ArrayList<>();
        int limit = FIRST_FRAME_LIMIT;
        int i = 0;
        while (i < stream.length) {
            long length = 0;
            int bytes = 0;
            while (true) {
                if (i + bytes >= stream.length) {
                    return new Reference(frames, "incomplete");
                }
                int b = stream[i + bytes] & 0xFF;
                if (bytes == 4 && b > 0x0F) {
                    return new Reference(frames, "corrupt");
                }
                length += (long) (b & 0x7F) << (7 * bytes);
                bytes++;
                if (b < 0x80) {
                    break;
                }
            }
            if (length > limit) {
                return new Reference(frames, "too long");
            }
            if (i + bytes + length > stream.length) {
                return new Reference(frames, "incomplete");
            }
            frames.add(Arrays.copyOfRange(stream, i + bytes, i + bytes + (int) length));
            i += bytes + (int) length;
            if (authenticate) {
                limit = LIMIT;
            }
        }
        return new Reference(frames, "incomplete");
    }
}
