package org.optline.loadtest.baseline;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.optline.proto.v1.ErrorBody;

/**
 * HTTP responses in the gateway's encodings: a body as binary protobuf or as the proto3 JSON
 * mapping, and errors always as a JSON {@link ErrorBody}, the one form every client can read.
 */
final class Responses {
    static final String JSON = "application/json";
    static final String PROTOBUF = "application/x-protobuf";

    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private Responses() {}

    static FullHttpResponse body(HttpResponseStatus status, Message body, boolean protobuf) {
        ByteBuf content = protobuf
                ? Unpooled.wrappedBuffer(body.toByteArray())
                : Unpooled.copiedBuffer(json(body), StandardCharsets.UTF_8);
        return response(status, protobuf ? PROTOBUF : JSON, content);
    }

    static FullHttpResponse error(HttpResponseStatus status, String reason, String detail) {
        return body(status, ErrorBody.newBuilder().setReason(reason).setDetail(detail).build(), false);
    }

    static FullHttpResponse text(HttpResponseStatus status, String contentType, String text) {
        return response(status, contentType, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf content) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        // A length on every response lets the keep-alive handler keep the connection.
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    private static String json(Message body) {
        try {
            return JSON_PRINTER.print(body);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("every optline.v1 message prints as JSON", e);
        }
    }
}
