package org.optline.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Ping;
import org.optline.server.guard.UnauthenticatedBytes;

class BoundedVarint32FrameDecoderTest {

    private static byte[] delimited(ClientFrame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame.writeDelimitedTo(out);
        return out.toByteArray();
    }

    private static ClientFrame ping(long nonce) {
        return ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build();
    }

    private static byte[] readAll(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    @Test
    void aFrameFedOneByteAtATimeComesOutWhole() throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(1024));
        byte[] bytes = delimited(ping(300));
        for (int i = 0; i < bytes.length - 1; i++) {
            assertThat(channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1))).isFalse();
        }
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(bytes, bytes.length - 1, 1))).isTrue();
        ByteBuf frame = channel.readInbound();
        assertThat(ClientFrame.parseFrom(readAll(frame))).isEqualTo(ping(300));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void severalFramesInOneBufferComeOutSeparately() throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(1024));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= 3; i++) {
            ping(i).writeDelimitedTo(out);
        }
        channel.writeInbound(Unpooled.wrappedBuffer(out.toByteArray()));
        for (int i = 1; i <= 3; i++) {
            ByteBuf frame = channel.readInbound();
            assertThat(ClientFrame.parseFrom(readAll(frame)).getPing().getNonce()).isEqualTo(i);
        }
        assertThat((Object) channel.readInbound()).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void aRandomlyFragmentedStreamYieldsEveryFrameInOrder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            ping(i * 1_000_003L).writeDelimitedTo(out);
        }
        byte[] stream = out.toByteArray();
        Random random = new Random(42);
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(1024));
        int offset = 0;
        while (offset < stream.length) {
            int length = Math.min(stream.length - offset, 1 + random.nextInt(17));
            channel.writeInbound(Unpooled.wrappedBuffer(stream, offset, length));
            offset += length;
        }
        for (int i = 0; i < 200; i++) {
            ByteBuf frame = channel.readInbound();
            assertThat(ClientFrame.parseFrom(readAll(frame)).getPing().getNonce()).isEqualTo(i * 1_000_003L);
        }
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aLengthAboveTheLimitFailsBeforeTheBodyArrives() {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(100));
        // varint 1000 = 0xE8 0x07; no body follows.
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xE8, 0x07})))
                .isInstanceOf(TooLongFrameException.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void aLengthOfTwoToTheThirtyFirstIsTooLongNotNegative() {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(Integer.MAX_VALUE));
        byte[] prefix = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(prefix)))
                .isInstanceOf(TooLongFrameException.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void aVarintLongerThanFiveBytesIsCorrupt() {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(100));
        byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(garbage)))
                .isInstanceOf(CorruptedFrameException.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void aFifthVarintByteWithBitsBeyondThirtyTwoIsCorrupt() {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(Integer.MAX_VALUE));
        byte[] garbage = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10};
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(garbage)))
                .isInstanceOf(CorruptedFrameException.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void anIncompleteLengthWaitsForMoreBytes() {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(1 << 20));
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80}))).isFalse();
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x01}))).isFalse();
        byte[] body = "x".repeat(128).getBytes(StandardCharsets.US_ASCII);
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(body))).isTrue();
        ByteBuf frame = channel.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(128);
        frame.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void anEmptyFrameIsAFrameOfZeroBytes() {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(100));
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00}))).isTrue();
        ByteBuf frame = channel.readInbound();
        assertThat(frame.readableBytes()).isZero();
        frame.release();
        channel.finishAndReleaseAll();
    }

    /** The little-endian base-128 encoding of a length, as writeDelimitedTo writes it (1 to 5 bytes). */
    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (value >= 0x80) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /** What the decoder does with a length prefix alone: wait for the body, or refuse at once. */
    enum Verdict { WAITS_FOR_THE_BODY, TOO_LARGE, CORRUPT }

    static Stream<Arguments> everyBoundaryOfTheLengthPrefix() {
        int limit = 4 * 1024 * 1024;
        long twoTo31 = 1L << 31;
        long twoTo32 = 1L << 32;
        return Stream.of(
                // The largest and smallest value of each length of varint, under a limit they fit.
                Arguments.of("1 byte, largest (127)", varint(127), Integer.MAX_VALUE, Verdict.WAITS_FOR_THE_BODY),
                Arguments.of("2 bytes, smallest (128)", varint(128), Integer.MAX_VALUE, Verdict.WAITS_FOR_THE_BODY),
                Arguments.of("2 bytes, largest (2^14-1)", varint((1 << 14) - 1), Integer.MAX_VALUE,
                        Verdict.WAITS_FOR_THE_BODY),
                Arguments.of("3 bytes, smallest (2^14)", varint(1 << 14), Integer.MAX_VALUE, Verdict.WAITS_FOR_THE_BODY),
                Arguments.of("3 bytes, largest (2^21-1)", varint((1 << 21) - 1), Integer.MAX_VALUE,
                        Verdict.WAITS_FOR_THE_BODY),
                Arguments.of("4 bytes, smallest (2^21)", varint(1 << 21), Integer.MAX_VALUE, Verdict.WAITS_FOR_THE_BODY),
                Arguments.of("4 bytes, largest (2^28-1)", varint((1 << 28) - 1), Integer.MAX_VALUE,
                        Verdict.WAITS_FOR_THE_BODY),
                Arguments.of("5 bytes, smallest (2^28)", varint(1 << 28), Integer.MAX_VALUE, Verdict.WAITS_FOR_THE_BODY),
                Arguments.of("5 bytes, 2^31-1 (the largest int)", varint(twoTo31 - 1), Integer.MAX_VALUE,
                        Verdict.WAITS_FOR_THE_BODY),
                // A five-byte length of 2^31 or more reads as a negative int: always too large.
                Arguments.of("5 bytes, 2^31 (negative as an int)", varint(twoTo31), Integer.MAX_VALUE, Verdict.TOO_LARGE),
                Arguments.of("5 bytes, 2^31+1", varint(twoTo31 + 1), Integer.MAX_VALUE, Verdict.TOO_LARGE),
                Arguments.of("5 bytes, 3*2^30", varint(3L << 30), Integer.MAX_VALUE, Verdict.TOO_LARGE),
                Arguments.of("5 bytes, 2^32-2 (-2 as an int)", varint(twoTo32 - 2), Integer.MAX_VALUE, Verdict.TOO_LARGE),
                Arguments.of("5 bytes, 2^32-1 (-1 as an int: ff ff ff ff 0f)", varint(twoTo32 - 1), Integer.MAX_VALUE,
                        Verdict.TOO_LARGE),
                Arguments.of("2^32-1 under the default limit", bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F), limit,
                        Verdict.TOO_LARGE),
                // Around the configured limit.
                Arguments.of("exactly the limit", varint(limit), limit, Verdict.WAITS_FOR_THE_BODY),
                Arguments.of("the limit plus one", varint(limit + 1L), limit, Verdict.TOO_LARGE),
                Arguments.of("2^31-1 under the default limit", varint(twoTo31 - 1), limit, Verdict.TOO_LARGE),
                Arguments.of("2^31 under the default limit", varint(twoTo31), limit, Verdict.TOO_LARGE),
                // Not a varint32 at all.
                Arguments.of("a fifth byte with bit 33 set (0x10)", bytes(0x80, 0x80, 0x80, 0x80, 0x10),
                        Integer.MAX_VALUE, Verdict.CORRUPT),
                Arguments.of("a fifth byte of 0x7f", bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x7F), Integer.MAX_VALUE,
                        Verdict.CORRUPT),
                Arguments.of("a sixth byte announced (fifth byte 0x8f)", bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x8F),
                        Integer.MAX_VALUE, Verdict.CORRUPT),
                Arguments.of("ten bytes of a 64-bit varint (-1 as int64)",
                        bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), Integer.MAX_VALUE,
                        Verdict.CORRUPT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyBoundaryOfTheLengthPrefix")
    void everyBoundaryOfTheLengthPrefixIsDecidedFromThePrefixAlone(String name, byte[] prefix, int limit,
                                                                   Verdict verdict) {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(limit));
        try {
            switch (verdict) {
                case WAITS_FOR_THE_BODY -> assertThat(channel.writeInbound(Unpooled.wrappedBuffer(prefix))).isFalse();
                case TOO_LARGE -> assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(prefix)))
                        .isInstanceOf(TooLongFrameException.class);
                case CORRUPT -> assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(prefix)))
                        .isInstanceOf(CorruptedFrameException.class);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void everyFiveByteLengthOfTwoToTheThirtyFirstOrMoreIsTooLargeAtOnce() {
        Random random = new Random(7);
        for (int fifth = 0x08; fifth <= 0x0F; fifth++) {
            for (int i = 0; i < 64; i++) {
                byte[] prefix = {(byte) (0x80 | random.nextInt(128)), (byte) (0x80 | random.nextInt(128)),
                        (byte) (0x80 | random.nextInt(128)), (byte) (0x80 | random.nextInt(128)), (byte) fifth};
                EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(Integer.MAX_VALUE));
                assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(prefix)))
                        .isInstanceOf(TooLongFrameException.class);
                channel.finishAndReleaseAll();
            }
        }
    }

    @Test
    void theLargestLengthDoesNotMakeTheDecoderBufferWhatFollows() {
        // The finding: ff ff ff ff 0f decoded to -1, read as "need more bytes", and everything
        // sent after it was buffered without end.
        BoundedVarint32FrameDecoder decoder = new BoundedVarint32FrameDecoder(4 * 1024 * 1024);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F))))
                .isInstanceOf(TooLongFrameException.class);
        for (int i = 0; i < 16; i++) {
            assertThat(channel.writeInbound(Unpooled.wrappedBuffer(new byte[64 * 1024]))).isFalse();
        }
        assertThat(decoder.bufferedBytes()).as("bytes held after the refusal").isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void afterARefusalNothingMoreIsDecodedFromTheConnection() throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(100));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(varint(1000))))
                .isInstanceOf(TooLongFrameException.class);
        // Where the next frame would start is unknown: a valid-looking frame after it is not one.
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(delimited(ping(1))))).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void aFiveByteEncodingOfASmallLengthIsThatLength() {
        EmbeddedChannel channel = new EmbeddedChannel(new BoundedVarint32FrameDecoder(100));
        // Protobuf parsers accept non-minimal varints; so does the decoder.
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(bytes(0x83, 0x80, 0x80, 0x80, 0x00, 'a', 'b', 'c'))))
                .isTrue();
        ByteBuf frame = channel.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(3);
        frame.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void beforeAuthenticationOnlyASmallFrameIsAllowedAndAfterItTheFullLimit() {
        BoundedVarint32FrameDecoder decoder = new BoundedVarint32FrameDecoder(4096, 100,
                new UnauthenticatedBytes(1 << 20));
        EmbeddedChannel anonymous = new EmbeddedChannel(decoder);
        assertThatThrownBy(() -> anonymous.writeInbound(Unpooled.wrappedBuffer(varint(101))))
                .isInstanceOf(TooLongFrameException.class)
                .hasMessageContaining("first frame");
        anonymous.finishAndReleaseAll();

        BoundedVarint32FrameDecoder later = new BoundedVarint32FrameDecoder(4096, 100, new UnauthenticatedBytes(1 << 20));
        EmbeddedChannel authenticated = new EmbeddedChannel(later);
        later.authenticated();
        assertThat(authenticated.writeInbound(Unpooled.wrappedBuffer(varint(4096)))).isFalse();
        assertThat(authenticated.writeInbound(Unpooled.wrappedBuffer(new byte[4096]))).isTrue();
        ByteBuf frame = authenticated.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(4096);
        frame.release();
        authenticated.finishAndReleaseAll();
    }

    /** A partial frame of {@code held} bytes in a buffer of exactly that capacity: what the decoder keeps. */
    private static ByteBuf partialFrame(int held) {
        byte[] bytes = new byte[held];
        byte[] prefix = varint(held + 10);
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        return Unpooled.wrappedBuffer(bytes);
    }

    @Test
    void unauthenticatedConnectionsShareOneBudgetAndTheOneThatWouldPassItIsRefused() {
        UnauthenticatedBytes budget = new UnauthenticatedBytes(1000);
        EmbeddedChannel first = new EmbeddedChannel(new BoundedVarint32FrameDecoder(4096, 1024, budget));
        EmbeddedChannel second = new EmbeddedChannel(new BoundedVarint32FrameDecoder(4096, 1024, budget));

        assertThat(first.writeInbound(partialFrame(600))).isFalse();
        assertThat(budget.held()).isEqualTo(600);
        assertThatThrownBy(() -> second.writeInbound(partialFrame(500)))
                .isInstanceOf(BoundedVarint32FrameDecoder.UnauthenticatedMemoryExceeded.class);
        assertThat(budget.held()).as("the refused connection holds nothing").isEqualTo(600);

        // The first completes its frame: what it held goes back to the budget.
        assertThat(first.writeInbound(Unpooled.wrappedBuffer(new byte[12]))).isTrue();
        ByteBuf frame = first.readInbound();
        frame.release();
        assertThat(budget.held()).isZero();
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    @Test
    void anAuthenticatedOrClosedConnectionGivesItsShareBack() {
        UnauthenticatedBytes budget = new UnauthenticatedBytes(1000);
        BoundedVarint32FrameDecoder authenticating = new BoundedVarint32FrameDecoder(4096, 1024, budget);
        EmbeddedChannel first = new EmbeddedChannel(authenticating);
        EmbeddedChannel second = new EmbeddedChannel(new BoundedVarint32FrameDecoder(4096, 1024, budget));
        first.writeInbound(partialFrame(300));
        second.writeInbound(partialFrame(400));
        assertThat(budget.held()).isEqualTo(700);

        authenticating.authenticated();
        assertThat(budget.held()).isEqualTo(400);
        first.writeInbound(partialFrame(900));
        assertThat(budget.held()).as("an authenticated connection is not counted").isEqualTo(400);

        second.close();
        assertThat(budget.held()).isZero();
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }
}
