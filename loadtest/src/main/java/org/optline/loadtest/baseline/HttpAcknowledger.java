package org.optline.loadtest.baseline;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.optline.proto.v1.ConsentChange;
import org.optline.proto.v1.ConsentChangeAck;
import org.optline.proto.v1.SubmitMessagesRequest;
import org.optline.proto.v1.SubmitMessagesResponse;

/**
 * The baseline HTTP API of one connection: {@code POST /v1/messages} with a batch in protobuf
 * or JSON is answered at once with one ACCEPTED result per message; {@code PUT /v1/consents}
 * (the load test's opt-ins) is decoded and acknowledged; {@code GET /health/live} says the
 * server is up. No key is checked. Answers are written in request order as each request is read,
 * and the answers of one read go out in one flush.
 */
final class HttpAcknowledger extends Acknowledger<FullHttpRequest> {
    private static final System.Logger log = System.getLogger(HttpAcknowledger.class.getName());

    static final String MESSAGES = "/v1/messages";
    static final String CONSENTS = "/v1/consents";
    static final String LIVE = "/health/live";

    /** Strict, as on the gateway: an unknown field is an error, not silently dropped. */
    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser();

    private final Acceptances acceptances;

    HttpAcknowledger(Acceptances acceptances) {
        this.acceptances = acceptances;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (closing) {
            return;
        }
        if (request.decoderResult().isFailure()) {
            // The stream position is unknown after this: answer, read nothing more, close.
            closing = true;
            unflushed = false;
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(unreadable(request.decoderResult().cause())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.write(answer(request), ctx.voidPromise());
        unflushed = true;
    }

    private FullHttpResponse answer(FullHttpRequest request) {
        HttpMethod method = request.method();
        return switch (path(request.uri())) {
            case MESSAGES -> HttpMethod.POST.equals(method) ? submit(request) : methodNotAllowed(HttpMethod.POST);
            case CONSENTS -> HttpMethod.PUT.equals(method) ? recordConsent(request) : methodNotAllowed(HttpMethod.PUT);
            case LIVE -> HttpMethod.GET.equals(method)
                    ? Responses.text(HttpResponseStatus.OK, Responses.JSON, "{\"status\":\"UP\"}")
                    : methodNotAllowed(HttpMethod.GET);
            default -> Responses.error(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no such endpoint");
        };
    }

    private FullHttpResponse submit(FullHttpRequest request) {
        Encoding encoding = Encoding.of(request);
        if (encoding == null) {
            return unsupportedMediaType();
        }
        if (encoding == Encoding.JSON) {
            Boolean batch = JsonBodies.isBatch(request.content());
            if (batch == null) {
                return invalidBody("the body is not valid JSON");
            }
            if (!batch) {
                return submitOne(request);
            }
        }
        SubmitMessagesRequest.Builder batch = SubmitMessagesRequest.newBuilder();
        if (!read(request.content(), encoding, batch)) {
            return invalidBody("the body is not a valid SubmitMessagesRequest");
        }
        int count = batch.getMessagesCount();
        if (count == 0) {
            return invalidBody("the request carries no message");
        }
        if (count > Limits.MAX_BATCH_SIZE) {
            return Responses.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "BATCH_TOO_LARGE",
                    "a request carries at most " + Limits.MAX_BATCH_SIZE + " messages, this one " + count);
        }
        SubmitMessagesResponse.Builder results = SubmitMessagesResponse.newBuilder();
        for (int i = 0; i < count; i++) {
            results.addResults(acceptances.accept(batch.getMessages(i)));
        }
        return Responses.body(HttpResponseStatus.OK, results.build(), wantsProtobuf(request, encoding));
    }

    /**
     * One message as a JSON body, as the gateway takes it: answered with one result, in JSON
     * unless the Accept header asks for protobuf.
     */
    private FullHttpResponse submitOne(FullHttpRequest request) {
        org.optline.proto.v1.Message.Builder message = org.optline.proto.v1.Message.newBuilder();
        if (!read(request.content(), Encoding.JSON, message)) {
            return invalidBody("the body is not a valid Message");
        }
        return Responses.body(HttpResponseStatus.OK, acceptances.accept(message.build()),
                wantsProtobuf(request, Encoding.JSON));
    }

    /** Decodes the change, as the gateway must, and acknowledges it without recording anything. */
    private static FullHttpResponse recordConsent(FullHttpRequest request) {
        Encoding encoding = Encoding.of(request);
        if (encoding == null) {
            return unsupportedMediaType();
        }
        if (!read(request.content(), encoding, ConsentChange.newBuilder())) {
            return invalidBody("the body is not a valid ConsentChange");
        }
        return Responses.body(HttpResponseStatus.OK,
                ConsentChangeAck.newBuilder().setRecordedAt(Instant.now().toString()).build(),
                wantsProtobuf(request, encoding));
    }

    /** Reads the body into the builder; false when it is not a valid message of its type. */
    private static boolean read(ByteBuf content, Encoding encoding, Message.Builder builder) {
        try {
            if (encoding == Encoding.PROTOBUF) {
                // A view of the bytes where they lie; a body split over several buffers is copied once.
                builder.mergeFrom(CodedInputStream.newInstance(content.nioBuffer()));
            } else {
                JSON_PARSER.merge(content.toString(StandardCharsets.UTF_8), builder);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            // Gson throws unchecked exceptions for some malformed JSON.
            return false;
        }
    }

    /** Protobuf when the Accept header asks for it, or when it is absent or open and the body was protobuf. */
    private static boolean wantsProtobuf(FullHttpRequest request, Encoding sent) {
        String header = request.headers().get(HttpHeaderNames.ACCEPT);
        if (header == null || header.contains("*/*")) {
            return sent == Encoding.PROTOBUF;
        }
        String accept = header.toLowerCase(Locale.ROOT);
        return accept.contains(Responses.PROTOBUF) || accept.contains("application/protobuf");
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static FullHttpResponse methodNotAllowed(HttpMethod allowed) {
        FullHttpResponse response = Responses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                "this endpoint takes " + allowed.name());
        response.headers().set(HttpHeaderNames.ALLOW, allowed.name());
        return response;
    }

    private static FullHttpResponse unsupportedMediaType() {
        return Responses.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE",
                "Content-Type must be " + Responses.JSON + " or " + Responses.PROTOBUF);
    }

    private static FullHttpResponse invalidBody(String detail) {
        return Responses.error(HttpResponseStatus.BAD_REQUEST, "INVALID_BODY", detail);
    }

    /** The answer to a request the codec could not read: too long a line or headers, or not HTTP. */
    private static FullHttpResponse unreadable(Throwable cause) {
        FullHttpResponse response = cause instanceof TooLongFrameException
                ? Responses.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "HEADERS_TOO_LARGE",
                        "the request line or headers exceed the limit")
                : Responses.error(HttpResponseStatus.BAD_REQUEST, "MALFORMED_REQUEST",
                        "the request is not valid HTTP/1.1");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that resets or closes mid-request is ordinary network life, not worth a warning.
        if (!(cause instanceof IOException) && !(cause instanceof DecoderException)) {
            log.log(System.Logger.Level.WARNING, "closing a baseline HTTP connection after an unexpected error", cause);
        }
        ctx.close();
    }

    /** The encodings of a request body, named by its Content-Type. */
    private enum Encoding {
        PROTOBUF, JSON;

        /** The body's encoding; JSON when no Content-Type is given, as on the gateway; null when unsupported. */
        static Encoding of(FullHttpRequest request) {
            String header = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (header == null) {
                return JSON;
            }
            // Media types are case-insensitive (RFC 9110 §8.3.1).
            String type = header.trim().toLowerCase(Locale.ROOT);
            if (type.startsWith(Responses.PROTOBUF) || type.startsWith("application/protobuf")) {
                return PROTOBUF;
            }
            return type.startsWith(Responses.JSON) ? JSON : null;
        }
    }
}
