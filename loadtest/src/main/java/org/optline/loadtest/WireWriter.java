package org.optline.loadtest;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes protobuf's wire format, and the ASCII text inside it, into a byte array that is
 * reused from one request to the next. The lanes encode every request with it instead of
 * building protobuf messages: a run sends millions of messages a second, and the builders,
 * their strings and {@code String.format} cost more than the server that is being measured.
 * The bytes are the canonical encoding, the same that {@code Message.toByteArray()} gives.
 *
 * <p>A length-delimited field is opened with {@link #beginField} and closed with
 * {@link #endField}: one byte is set aside for its length, and the content is moved along in
 * the rare case that its length needs more. Not thread-safe: one per lane.
 */
final class WireWriter {
    /** Protobuf's wire type of a varint. */
    static final int VARINT = 0;
    /** Protobuf's wire type of a length-delimited field. */
    static final int LEN = 2;

    private byte[] bytes;
    private int size;

    WireWriter(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** Forgets what was written, keeping the array. */
    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** The bytes written, as a new array. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** What was written, read as ASCII (what the texts are). */
    String toAsciiString() {
        return new String(bytes, 0, size, StandardCharsets.US_ASCII);
    }

    /** Copies what was written to the end of {@code out}. */
    void copyTo(ByteBuf out) {
        out.writeBytes(bytes, 0, size);
    }

    /** A field's key: its number and wire type. */
    void tag(int field, int wireType) {
        varint((field << 3) | wireType);
    }

    /** A varint field; like protobuf, nothing for 0, proto3's default. */
    void varintField(int field, long value) {
        if (value != 0) {
            tag(field, VARINT);
            varint(value);
        }
    }

    /** A string field of ASCII text; like protobuf, nothing for an empty one. */
    void asciiField(int field, byte[] ascii) {
        if (ascii.length > 0) {
            tag(field, LEN);
            varint(ascii.length);
            ascii(ascii);
        }
    }

    /**
     * Opens a length-delimited field whose content is written next; returns where the content
     * starts, for {@link #endField}. Unlike protobuf, this writes the field even when empty.
     */
    int beginField(int field) {
        tag(field, LEN);
        ensure(1);
        size++;
        return size;
    }

    /** Closes the field opened at {@code start}: writes its length in front of its content. */
    void endField(int start) {
        int length = size - start;
        int lengthBytes = varintSize(length);
        if (lengthBytes > 1) {
            ensure(lengthBytes - 1);
            System.arraycopy(bytes, start, bytes, start + lengthBytes - 1, length);
            size += lengthBytes - 1;
        }
        int at = start - 1;
        long value = length;
        while ((value & ~0x7FL) != 0) {
            bytes[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[at] = (byte) value;
    }

    /** An unsigned base-128 varint. */
    void varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    /** ASCII bytes as they are. */
    void ascii(byte[] ascii) {
        ensure(ascii.length);
        System.arraycopy(ascii, 0, bytes, size, ascii.length);
        size += ascii.length;
    }

    /** One ASCII character. */
    void ascii(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
    }

    /** {@code value} in decimal, as {@code Long.toString} writes it. */
    void decimal(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                ascii(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            ascii('-');
            value = -value;
        }
        digits(value, decimalDigits(value));
    }

    /** {@code value} (not negative) in decimal, zero-padded to at least {@code width} digits, as {@code %0Nd}. */
    void zeroPadded(long value, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("not a count: " + value);
        }
        digits(value, Math.max(width, decimalDigits(value)));
    }

    private void digits(long value, int count) {
        ensure(count);
        int at = size + count;
        for (int i = 0; i < count; i++) {
            bytes[--at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += count;
    }

    /** How many bytes the varint of {@code value} takes. */
    static int varintSize(long value) {
        int bytes = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    /** Writes the varint of {@code value} to {@code out}. */
    static void writeVarint(ByteBuf out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static int decimalDigits(long value) {
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
