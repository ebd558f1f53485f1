package org.optline.server.http;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A look at a JSON body's shape without parsing it: whether its top-level object has a given
 * field. One pass over the bytes, nothing allocated, so that a body is parsed only once, into
 * the message type its shape calls for. Anything that is not a well-formed object answers
 * false and is left for the parser to report.
 */
final class JsonShape {
    private JsonShape() {}

    static boolean hasTopLevelField(ByteBuf body, String name) {
        int end = body.writerIndex();
        int i = skipSpace(body, body.readerIndex(), end);
        if (i >= end || body.getByte(i) != '{') {
            return false;
        }
        i++;
        while (true) {
            i = skipSpace(body, i, end);
            if (i >= end || body.getByte(i) != '"') {
                return false;
            }
            int keyStart = i + 1;
            int keyEnd = endOfString(body, i, end);
            if (keyEnd < 0) {
                return false;
            }
            if (keyIs(body, keyStart, keyEnd, name)) {
                return true;
            }
            i = skipSpace(body, keyEnd + 1, end);
            if (i >= end || body.getByte(i) != ':') {
                return false;
            }
            i = skipValue(body, skipSpace(body, i + 1, end), end);
            if (i < 0) {
                return false;
            }
            i = skipSpace(body, i, end);
            if (i >= end || body.getByte(i) != ',') {
                return false;
            }
            i++;
        }
    }

    /** The index of the quote that closes the string opening at {@code quote}, or -1. */
    private static int endOfString(ByteBuf body, int quote, int end) {
        for (int i = quote + 1; i < end; i++) {
            byte b = body.getByte(i);
            if (b == '\\') {
                i++;
            } else if (b == '"') {
                return i;
            }
        }
        return -1;
    }

    /** The index just after the value starting at {@code i}, or -1 when it does not end. */
    private static int skipValue(ByteBuf body, int i, int end) {
        if (i >= end) {
            return -1;
        }
        byte first = body.getByte(i);
        if (first == '"') {
            int close = endOfString(body, i, end);
            return close < 0 ? -1 : close + 1;
        }
        if (first != '{' && first != '[') {
            // A number, true, false or null: up to the next delimiter.
            while (i < end) {
                byte b = body.getByte(i);
                if (b == ',' || b == '}' || b == ']' || isSpace(b)) {
                    return i;
                }
                i++;
            }
            return -1;
        }
        int depth = 0;
        while (i < end) {
            byte b = body.getByte(i);
            if (b == '"') {
                i = endOfString(body, i, end);
                if (i < 0) {
                    return -1;
                }
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return -1;
    }

    /** Compares a key with an ASCII name; a key written with escapes is decoded first (rare). */
    private static boolean keyIs(ByteBuf body, int start, int end, String name) {
        if (body.indexOf(start, end, (byte) '\\') >= 0) {
            String raw = body.toString(start, end - start, StandardCharsets.UTF_8);
            try {
                return name.equals(com.google.gson.JsonParser.parseString('"' + raw + '"').getAsString());
            } catch (RuntimeException malformed) {
                return false;
            }
        }
        return bytesAre(body, start, end, name);
    }

    /** Whether the bytes from {@code start} to {@code end} are exactly the ASCII {@code name}. */
    static boolean bytesAre(ByteBuf body, int start, int end, String name) {
        if (end - start != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (body.getByte(start + i) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first byte from {@code i} on that is not JSON whitespace, or {@code end}. */
    static int skipSpace(ByteBuf body, int i, int end) {
        while (i < end && isSpace(body.getByte(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
