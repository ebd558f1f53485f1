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
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Ping;

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
}
