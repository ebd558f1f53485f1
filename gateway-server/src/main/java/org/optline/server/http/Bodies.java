package org.optline.server.http;

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

    private static final java.util.regex.Pattern LONG_DIGIT_RUN = java.util.regex.Pattern.compile("\\+?\\d{5,}");

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
                    "the body is not a valid " + builderName(builder) + ": " + firstLine(e.getMessage()));
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

    /** Parser messages can quote the input; keep only their first line and cap its length. */
    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        String line = message.lines().findFirst().orElse("malformed");
        // The parser may quote the offending value, which may be a phone number: mask digit runs.
        line = LONG_DIGIT_RUN.matcher(line).replaceAll("•••");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

}
