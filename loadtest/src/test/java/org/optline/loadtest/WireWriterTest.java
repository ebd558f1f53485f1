package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The writer's bytes against protobuf's own encoder, and its numbers against {@code String.format}. */
class WireWriterTest {

    @Test
    void varintsAreProtobufs() throws IOException {
        for (long value : new long[] {0, 1, 127, 128, 300, 16_383, 16_384, Integer.MAX_VALUE, 1L << 35,
                Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            WireWriter writer = new WireWriter(1);
            writer.varint(value);
            ByteBuf buf = Unpooled.buffer();
            WireWriter.writeVarint(buf, value);

            byte[] expected = protobuf(out -> out.writeUInt64NoTag(value));
            assertThat(writer.toByteArray()).as("varint %d", value).isEqualTo(expected);
            assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected);
            assertThat(WireWriter.varintSize(value)).isEqualTo(expected.length);
        }
    }

    @Test
    void aFieldOfAnyLengthGetsItsLengthInFrontEvenWhenItNeedsMoreThanOneByte() throws IOException {
        for (int length : new int[] {0, 1, 127, 128, 129, 16_383, 16_384, 70_000}) {
            byte[] content = new byte[length];
            for (int i = 0; i < length; i++) {
                content[i] = (byte) ('a' + i % 26);
            }
            WireWriter writer = new WireWriter(4);
            writer.varintField(1, 42);
            int field = writer.beginField(2);
            writer.ascii(content);
            writer.endField(field);
            writer.varintField(3, 7);

            byte[] expected = protobuf(out -> {
                out.writeUInt64(1, 42);
                out.writeBytes(2, ByteString.copyFrom(content));
                out.writeUInt64(3, 7);
            });
            assertThat(writer.toByteArray()).as("a field of %d bytes", length).isEqualTo(expected);
        }
    }

    @Test
    void fieldsNestAsMessagesDo() throws IOException {
        WireWriter writer = new WireWriter(8);
        int outer = writer.beginField(1);
        for (int i = 0; i < 50; i++) {
            int inner = writer.beginField(2);
            writer.asciiField(1, "hello".getBytes());
            writer.endField(inner);
        }
        writer.endField(outer);

        byte[] inner = protobuf(out -> out.writeString(1, "hello"));
        byte[] middle = protobuf(out -> {
            for (int i = 0; i < 50; i++) {
                out.writeByteArray(2, inner);
            }
        });
        assertThat(writer.toByteArray()).isEqualTo(protobuf(out -> out.writeByteArray(1, middle)));
    }

    @Test
    void defaultsAreLeftOutAsProtobufLeavesThemOut() {
        WireWriter writer = new WireWriter(8);
        writer.varintField(1, 0);
        writer.asciiField(2, new byte[0]);

        assertThat(writer.size()).isZero();
    }

    @Test
    void numbersAreWrittenAsFormatWritesThem() {
        for (long value : new long[] {0, 7, 10, 99, 100, 123_456, 999_999, 1_000_000, 10_000_000_000L,
                Long.MAX_VALUE}) {
            assertThat(text(w -> w.decimal(value))).isEqualTo(Long.toString(value));
            assertThat(text(w -> w.zeroPadded(value, 6))).isEqualTo(String.format(Locale.ROOT, "%06d", value));
            assertThat(text(w -> w.zeroPadded(value, 2))).isEqualTo(String.format(Locale.ROOT, "%02d", value));
        }
        assertThat(text(w -> w.decimal(-42))).isEqualTo("-42");
        assertThat(text(w -> w.decimal(Long.MIN_VALUE))).isEqualTo(Long.toString(Long.MIN_VALUE));
    }

    @Test
    void resetKeepsNothingOfWhatWasWritten() {
        WireWriter writer = new WireWriter(2);
        writer.ascii("a long text that grows the array".getBytes());
        writer.reset();
        writer.ascii('x');

        assertThat(writer.toAsciiString()).isEqualTo("x");
    }

    private interface Writes {
        void to(CodedOutputStream out) throws IOException;
    }

    private static byte[] protobuf(Writes writes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writes.to(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static String text(java.util.function.Consumer<WireWriter> writes) {
        WireWriter writer = new WireWriter(1);
        writes.accept(writer);
        return writer.toAsciiString();
    }
}
