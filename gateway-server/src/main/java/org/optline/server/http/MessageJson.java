package org.optline.server.http;

import static org.optline.server.http.JsonShape.skipSpace;

import com.google.protobuf.Descriptors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;

/**
 * The shape nearly every HTTP request has — one {@code Message} in JSON, answered with one
 * {@code MessageResult} — read and written by hand. The generic proto3 JSON mapping (JsonFormat
 * over Gson's tree, by reflection) cost about 4 µs of the gateway's 57 µs per request at 64
 * connections (docs/benchmarks.md); this costs a fraction of that.
 *
 * <p>Only the plain shape is read here: an object of the {@code Message} fields under their plain
 * names, with text values (JSON's escapes allowed, raw control characters not), a category by its
 * name and a time to live in plain digits. Anything else — an escape JSON does not define, a
 * template, a number in quotes, a repeated field, a body that is not one object — is left to
 * JsonFormat, which reads it or explains what is wrong as it always has. So for every body read
 * here the message equals JsonFormat's (JsonBodyFuzzTest checks it), and what is written is byte
 * for byte what JsonFormat prints.
 */
final class MessageJson {
    private static final int CLIENT_MESSAGE_ID = 0;
    private static final int RECIPIENT = 1;
    private static final int DECLARED_CATEGORY = 2;
    private static final int TEXT = 3;
    private static final int TTL_SECONDS = 4;
    private static final int CAMPAIGN_ID = 5;
    /** Each field by its JSON name and its proto name, as JsonFormat accepts either. */
    private static final String[][] NAMES = {
        {"clientMessageId", "client_message_id"}, {"recipient", "recipient"},
        {"declaredCategory", "declared_category"}, {"text", "text"}, {"ttlSeconds", "ttl_seconds"},
        {"campaignId", "campaign_id"},
    };
    private static final Descriptors.EnumDescriptor CATEGORIES = Category.getDescriptor();
    private static final Descriptors.EnumDescriptor REASONS = Reason.getDescriptor();
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    private MessageJson() {}

    /** The message in {@code body}, or null when the body is not the plain shape and JsonFormat must read it. */
    static Message read(ByteBuf body) {
        int end = body.writerIndex();
        int i = skipSpace(body, body.readerIndex(), end);
        if (i >= end || body.getByte(i) != '{') {
            return null;
        }
        Message.Builder message = Message.newBuilder();
        boolean[] seen = new boolean[NAMES.length];
        i = skipSpace(body, i + 1, end);
        if (i < end && body.getByte(i) == '}') {
            return atEnd(body, i + 1, end) ? message.build() : null;
        }
        while (true) {
            // A name is matched byte for byte: one written with escapes is left to JsonFormat.
            int keyEnd = stringEnd(body, i, end, false);
            if (keyEnd < 0) {
                return null;
            }
            int field = field(body, i + 1, keyEnd);
            if (field < 0 || seen[field]) {
                return null;
            }
            seen[field] = true;
            i = skipSpace(body, keyEnd + 1, end);
            if (i >= end || body.getByte(i) != ':') {
                return null;
            }
            i = skipSpace(body, i + 1, end);
            i = field == TTL_SECONDS ? readTtl(body, i, end, message) : readText(body, i, end, field, message);
            if (i < 0) {
                return null;
            }
            i = skipSpace(body, i, end);
            if (i >= end) {
                return null;
            }
            byte next = body.getByte(i);
            if (next == '}') {
                return atEnd(body, i + 1, end) ? message.build() : null;
            }
            if (next != ',') {
                return null;
            }
            i = skipSpace(body, i + 1, end);
        }
    }

    /** {@code result} in the proto3 JSON mapping, as JsonFormat prints it without insignificant whitespace. */
    static ByteBuf write(MessageResult result) {
        StringBuilder json = new StringBuilder(96 + result.getDetail().length());
        json.append('{');
        String separator = "";
        if (!result.getClientMessageId().isEmpty()) {
            separator = member(json, separator, "clientMessageId");
            string(json, result.getClientMessageId());
        }
        if (result.getReasonValue() != 0) {
            separator = member(json, separator, "reason");
            enumValue(json, REASONS, result.getReasonValue());
        }
        if (!result.getMessageId().isEmpty()) {
            separator = member(json, separator, "messageId");
            string(json, result.getMessageId());
        }
        if (result.getCategoryValue() != 0) {
            separator = member(json, separator, "category");
            enumValue(json, CATEGORIES, result.getCategoryValue());
        }
        if (result.getReclassified()) {
            separator = member(json, separator, "reclassified");
            json.append("true");
        }
        if (result.getDuplicate()) {
            separator = member(json, separator, "duplicate");
            json.append("true");
        }
        if (result.getRetryAfterMs() != 0) {
            separator = member(json, separator, "retryAfterMs");
            // 64-bit integers are strings in proto3 JSON; uint64 prints unsigned.
            json.append('"').append(Long.toUnsignedString(result.getRetryAfterMs())).append('"');
        }
        if (!result.getDetail().isEmpty()) {
            member(json, separator, "detail");
            string(json, result.getDetail());
        }
        json.append('}');
        return Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
    }

    private static String member(StringBuilder json, String separator, String name) {
        json.append(separator).append('"').append(name).append("\":");
        return ",";
    }

    private static void enumValue(StringBuilder json, Descriptors.EnumDescriptor type, int number) {
        Descriptors.EnumValueDescriptor value = type.findValueByNumber(number);
        // A number this build has no name for prints as the number, as JsonFormat does.
        if (value != null) {
            json.append('"').append(value.getName()).append('"');
        } else {
            json.append(number);
        }
    }

    /**
     * A JSON string as JsonFormat writes it (Gson's escaping, HTML-safe): quotes, backslashes,
     * control characters, {@code < > & = '} and the line and paragraph separators are escaped.
     */
    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\f' -> json.append("\\f");
                case '<', '>', '&', '=', '\'', '\u2028', '\u2029' -> unicodeEscape(json, c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(json, c);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    private static void unicodeEscape(StringBuilder json, char c) {
        json.append("\\u");
        String hex = Integer.toHexString(c);
        json.append("0000", hex.length(), 4).append(hex);
    }

    /** Reads a text field's value (a category is text too); the index after it, or -1. */
    private static int readText(ByteBuf body, int i, int end, int field, Message.Builder message) {
        int close = stringEnd(body, i, end, true);
        if (close < 0) {
            return -1;
        }
        String value = decode(body, i + 1, close);
        if (value == null || value.indexOf('\uFFFD') >= 0) {
            // An escape JSON does not define; or malformed UTF-8, or a replacement character sent as
            // such, which JsonFormat decodes over the whole body: every such body reads as it always did.
            return -1;
        }
        switch (field) {
            case CLIENT_MESSAGE_ID -> message.setClientMessageId(value);
            case RECIPIENT -> message.setRecipient(value);
            case TEXT -> message.setText(value);
            case CAMPAIGN_ID -> message.setCampaignId(value);
            case DECLARED_CATEGORY -> {
                Descriptors.EnumValueDescriptor category = CATEGORIES.findValueByName(value);
                if (category == null) {
                    return -1;
                }
                message.setDeclaredCategoryValue(category.getNumber());
            }
            default -> throw new IllegalArgumentException("not a text field: " + field);
        }
        return close + 1;
    }

    /**
     * Reads a time to live in plain digits (no sign, fraction, exponent or leading zero); the index
     * after it, or -1.
     */
    private static int readTtl(ByteBuf body, int i, int end, Message.Builder message) {
        long value = 0;
        int start = i;
        while (i < end && i - start <= 10) {
            byte b = body.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            i++;
        }
        int digits = i - start;
        if (digits == 0 || digits > 10 || (digits > 1 && body.getByte(start) == '0') || value > MAX_UINT32) {
            return -1;
        }
        message.setTtlSeconds((int) value);
        return i;
    }

    /**
     * The index of the quote closing a string that opens at {@code i}, or -1 when there is none,
     * when the string holds a raw control character, or an escape where {@code escapes} is false.
     */
    private static int stringEnd(ByteBuf body, int i, int end, boolean escapes) {
        if (i >= end || body.getByte(i) != '"') {
            return -1;
        }
        for (int j = i + 1; j < end; j++) {
            byte b = body.getByte(j);
            if (b == '"') {
                return j;
            }
            if (b == '\\' && escapes) {
                j++;
            } else if (b == '\\' || (b >= 0 && b < 0x20)) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * The text between {@code from} and {@code to} with JSON's escapes decoded (Python's
     * {@code json.dumps} escapes every non-ASCII character, for one), or null for an escape JSON
     * does not define, which JsonFormat then reads or refuses.
     */
    private static String decode(ByteBuf body, int from, int to) {
        int escape = body.indexOf(from, to, (byte) '\\');
        if (escape < 0) {
            return body.toString(from, to - from, StandardCharsets.UTF_8);
        }
        StringBuilder text = new StringBuilder(to - from);
        int i = from;
        while (escape >= 0) {
            // Cut at a backslash, an ASCII byte: the UTF-8 on either side decodes as it would whole.
            text.append(body.toString(i, escape - i, StandardCharsets.UTF_8));
            if (escape + 1 >= to) {
                return null;
            }
            byte kind = body.getByte(escape + 1);
            i = escape + 2;
            switch (kind) {
                case '"', '\\', '/' -> text.append((char) kind);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    int unit = escape + 6 <= to ? hex4(body, escape + 2) : -1;
                    if (unit < 0) {
                        return null;
                    }
                    text.append((char) unit);
                    i = escape + 6;
                }
                default -> {
                    return null;
                }
            }
            escape = i < to ? body.indexOf(i, to, (byte) '\\') : -1;
        }
        return text.append(body.toString(i, to - i, StandardCharsets.UTF_8)).toString();
    }

    /** The four hex digits from {@code i} as a UTF-16 unit, or -1. */
    private static int hex4(ByteBuf body, int i) {
        int unit = 0;
        for (int k = 0; k < 4; k++) {
            int digit = Character.digit(body.getByte(i + k), 16);
            if (digit < 0) {
                return -1;
            }
            unit = unit << 4 | digit;
        }
        return unit;
    }

    /** Which field the key between {@code from} and {@code to} names, or -1. */
    private static int field(ByteBuf body, int from, int to) {
        for (int field = 0; field < NAMES.length; field++) {
            for (String name : NAMES[field]) {
                if (JsonShape.bytesAre(body, from, to, name)) {
                    return field;
                }
            }
        }
        return -1;
    }

    private static boolean atEnd(ByteBuf body, int i, int end) {
        return skipSpace(body, i, end) == end;
    }
}
