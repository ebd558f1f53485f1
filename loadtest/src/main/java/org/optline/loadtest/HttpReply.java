package org.optline.loadtest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.optline.proto.v1.ErrorBody;

/**
 * An HTTP response copied off the connection, so that no reference-counted buffer outlives
 * the handler that received it.
 *
 * @param contentType the Content-Type header, or an empty string
 * @param keepAlive false when the server will close the connection after this response
 */
record HttpReply(int status, String contentType, byte[] body, boolean keepAlive) {
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";
    /** An error reason longer than this is not one of the gateway's codes. */
    private static final int MAX_REASON_LENGTH = 40;

    static HttpReply of(FullHttpResponse response) {
        String contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        return new HttpReply(response.status().code(), contentType, ByteBufUtil.getBytes(response.content()),
                HttpUtil.isKeepAlive(response));
    }

    boolean isProtobuf() {
        return isProtobuf(contentType);
    }

    /** True when {@code contentType} names binary protobuf, in any case (media types are case-insensitive). */
    static boolean isProtobuf(String contentType) {
        return hasMediaType(contentType, PROTOBUF);
    }

    /**
     * The {@code reason} of an {@link ErrorBody} in JSON or protobuf, when the body is one;
     * empty otherwise. The reason is a short code, so it may name a cause in a report.
     */
    Optional<String> errorReason() {
        ErrorBody.Builder error = ErrorBody.newBuilder();
        try {
            if (hasMediaType(JSON)) {
                JsonFormat.parser().ignoringUnknownFields().merge(new String(body, StandardCharsets.UTF_8), error);
            } else if (isProtobuf()) {
                error.mergeFrom(body);
            } else {
                return Optional.empty();
            }
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
        String reason = error.getReason();
        return reason.isBlank() || reason.length() > MAX_REASON_LENGTH ? Optional.empty() : Optional.of(reason);
    }

    private boolean hasMediaType(String mediaType) {
        return hasMediaType(contentType, mediaType);
    }

    private static boolean hasMediaType(String contentType, String mediaType) {
        return contentType.regionMatches(true, 0, mediaType, 0, mediaType.length());
    }
}
