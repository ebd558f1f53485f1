package org.optline.server.http;

import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.optline.core.message.Excerpt;
import org.optline.proto.v1.MessageResult;

/**
 * Request and response bodies in either encoding of the one schema: the proto3 JSON mapping
 * ({@code application/json}) or binary protobuf ({@code application/x-protobuf}). JSON is read
 * strictly: an unknown field is an error, not silently dropped.
 */
final class Bodies {
    static final String JSON = "application/json";
    static final String PROTOBUF = "application/x-protobuf";

    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private static final Pattern INVALID_ENUM = Pattern.compile("Invalid enum value: (.*) for enum type: ([\\w.]+)",
            Pattern.DOTALL);
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("Cannot find field: (.*) in message ([\\w.]+)",
            Pattern.DOTALL);
    private static final Pattern NOT_A_NUMBER = Pattern.compile("Not an? (u?int32|u?int64|float|double|bool) value: .*",
            Pattern.DOTALL);
    private static final Pattern OUT_OF_RANGE = Pattern.compile("Out of range (\\w+) value: .*", Pattern.DOTALL);
    private static final Pattern WRONG_TYPE = Pattern.compile("Invalid value: .* for expected type: (\\w+)",
            Pattern.DOTALL);
    private static final Pattern MALFORMED = Pattern.compile(".*(?:Exception|Error): ([A-Za-z ]{1,60}?)"
            + " at line (\\d+) column (\\d+).*", Pattern.DOTALL);

    private Bodies() {}

    /** True when the request body is binary protobuf; false for JSON; an error for anything else. */
    static boolean isProtobufBody(FullHttpRequest request) throws HttpError {
        String header = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        // Media types are case-insensitive (RFC 9110 §8.3.1).
        String type = header == null ? null : header.trim().toLowerCase(java.util.Locale.ROOT);
        if (type == null || type.startsWith(JSON)) {
            return false;
        }
        if (type.startsWith(PROTOBUF) || type.startsWith("application/protobuf")) {
            return true;
        }
        throw new HttpError(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE",
                "Content-Type must be " + JSON + " or " + PROTOBUF);
    }

    /** True when the client asks for protobuf answers (by Accept, or by sending protobuf). */
    static boolean wantsProtobuf(HttpHeaders headers, boolean sentProtobuf) {
        String header = headers.get(HttpHeaderNames.ACCEPT);
        String accept = header == null ? null : header.toLowerCase(java.util.Locale.ROOT);
        if (accept == null || accept.contains("*/*")) {
            return sentProtobuf;
        }
        return accept.contains(PROTOBUF) || accept.contains("application/protobuf");
    }

    /** Reads the body into the builder in the encoding the request declares. */
    static <B extends Message.Builder> B read(FullHttpRequest request, boolean protobuf, B builder) throws HttpError {
        ByteBuf content = request.content();
        try {
            if (protobuf) {
                try (InputStream in = new io.netty.buffer.ByteBufInputStream(content.duplicate())) {
                    builder.mergeFrom(in);
                }
            } else {
                JSON_PARSER.merge(content.toString(StandardCharsets.UTF_8), builder);
            }
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "INVALID_BODY",
                    "the body is not a valid " + builderName(builder) + explain(e.getMessage(), builder));
        } catch (IOException | RuntimeException e) {
            // Gson throws unchecked exceptions for some malformed JSON.
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "INVALID_BODY",
                    "the body is not a valid " + builderName(builder));
        }
    }

    static FullHttpResponse response(HttpResponseStatus status, Message body, boolean protobuf) {
        ByteBuf content;
        if (protobuf) {
            content = Unpooled.wrappedBuffer(body.toByteArray());
        } else if (body instanceof MessageResult result) {
            // The answer to one message, the most common by far: printed without JsonFormat.
            content = MessageJson.write(result);
        } else {
            try {
                content = Unpooled.copiedBuffer(JSON_PRINTER.print(body), StandardCharsets.UTF_8);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("every optline.v1 message prints as JSON", e);
            }
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, protobuf ? PROTOBUF : JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    static FullHttpResponse text(HttpResponseStatus status, String contentType, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    private static String builderName(Message.Builder builder) {
        return builder.getDescriptorForType().getName();
    }

    /**
     * What was wrong, in words of our own. The parser's messages quote the caller's input (an
     * invalid enum value, an unknown field name, a whole JSON value), which may be a phone number
     * in any spelling or a key pasted into the wrong field: none of it is passed on, except as a
     * short masked {@link Excerpt}. A message not recognised here adds nothing.
     */
    static String explain(String message, Message.Builder builder) {
        if (message == null) {
            return "";
        }
        Matcher m;
        if ((m = INVALID_ENUM.matcher(message)).matches()) {
            Descriptors.EnumDescriptor type = findEnum(builder.getDescriptorForType().getFile(), m.group(2));
            String expected = type == null ? "" : "; expected one of " + type.getValues().stream()
                    .filter(v -> v.getNumber() != 0).map(Descriptors.EnumValueDescriptor::getName)
                    .collect(Collectors.joining(", "));
            return ": " + Excerpt.of(unquoted(m.group(1))) + " is not a " + shortName(m.group(2)) + expected;
        }
        if ((m = UNKNOWN_FIELD.matcher(message)).matches()) {
            return ": unknown field " + Excerpt.of(m.group(1)) + " in " + shortName(m.group(2));
        }
        if ((m = NOT_A_NUMBER.matcher(message)).matches()) {
            return ": a field of type " + m.group(1) + " has a value of another type";
        }
        if ((m = OUT_OF_RANGE.matcher(message)).matches()) {
            return ": a value is out of the range of its type " + m.group(1).toLowerCase(Locale.ROOT);
        }
        if ((m = WRONG_TYPE.matcher(message)).matches()) {
            return ": a field of type " + m.group(1).toLowerCase(Locale.ROOT) + " has a value of another type";
        }
        if (message.startsWith("Expect message object but got")) {
            return ": a JSON object was expected";
        }
        if ((m = MALFORMED.matcher(message)).matches()) {
            return ": malformed JSON (" + m.group(1).trim().toLowerCase(Locale.ROOT) + ") at line " + m.group(2)
                    + ", column " + m.group(3);
        }
        return "";
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static String shortName(String fullName) {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }

    private static Descriptors.EnumDescriptor findEnum(Descriptors.FileDescriptor file, String fullName) {
        for (Descriptors.EnumDescriptor type : file.getEnumTypes()) {
            if (type.getFullName().equals(fullName)) {
                return type;
            }
        }
        for (Descriptors.FileDescriptor dependency : file.getDependencies()) {
            Descriptors.EnumDescriptor type = findEnum(dependency, fullName);
            if (type != null) {
                return type;
            }
        }
        return null;
    }

}
