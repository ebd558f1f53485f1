package org.optline.server.http;

import com.google.protobuf.Message;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.optline.core.business.Business;
import org.optline.core.recipient.PhoneNumber;
import org.optline.server.wire.Malformed;
import org.optline.server.wire.Recipients;

/**
 * One request as an endpoint sees it: the matched route's parameters, the business that
 * authenticated (on business routes), the body in the encoding it declares, and the encoding the
 * client wants back.
 */
final class HttpCall {
    private final FullHttpRequest request;
    private final Map<String, String> parameters;
    private final Business business;
    private boolean sentProtobuf;
    /** What to undo if the client goes away before the answer; null until an endpoint asks. */
    private List<Runnable> onAbandoned;

    HttpCall(FullHttpRequest request, Map<String, String> parameters, Business business) {
        this.request = request;
        this.parameters = parameters;
        this.business = business;
    }

    /**
     * Runs {@code undo} if the client goes away (its connection closes) before this call is
     * answered: a long-poll stops waiting rather than take messages for nobody. On the event loop.
     */
    void onAbandoned(Runnable undo) {
        if (onAbandoned == null) {
            onAbandoned = new ArrayList<>(1);
        }
        onAbandoned.add(undo);
    }

    /** The client went away before the answer. */
    void abandon() {
        if (onAbandoned != null) {
            onAbandoned.forEach(Runnable::run);
        }
    }

    /** The business whose key authenticated this call; set on business routes only. */
    Business business() {
        if (business == null) {
            throw new IllegalStateException("not a business route");
        }
        return business;
    }

    /** A path parameter as the client sent it, still percent-encoded. */
    String rawParameter(String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no parameter " + name);
        }
        return value;
    }

    /** A path parameter percent-decoded (a literal '+' stays a plus). */
    String decodedParameter(String name) throws HttpError {
        try {
            return QueryStringDecoder.decodeComponent(rawParameter(name).replace("+", "%2B"));
        } catch (IllegalArgumentException e) {
            throw HttpError.invalidBody("the path segment is not validly percent-encoded");
        }
    }

    /** A path parameter that names a recipient: percent-decoded, then parsed as E.164. */
    PhoneNumber recipientParameter(String name) throws HttpError {
        String decoded;
        try {
            // Unlike in a query, a literal '+' in a path is a plus, not a space.
            decoded = QueryStringDecoder.decodeComponent(rawParameter(name).replace("+", "%2B"));
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes the input, which may be a number: never pass it on.
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "INVALID_RECIPIENT",
                    "the path segment is not validly percent-encoded");
        }
        return recipientField(decoded);
    }

    /** A recipient from a body field. */
    static PhoneNumber recipientField(String number) throws HttpError {
        try {
            return Recipients.recipient(number);
        } catch (Malformed malformed) {
            throw HttpError.of(malformed);
        }
    }

    /** The first value of a query parameter. */
    Optional<String> query(String name) {
        List<String> values = new QueryStringDecoder(request.uri()).parameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * A whole-number query parameter from {@code min} to {@code max}, or {@code absent} when the
     * query does not have it; 400 for anything else.
     */
    int intQuery(String name, int absent, int min, int max) throws HttpError {
        String value = query(name).orElse(null);
        if (value == null) {
            return absent;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Answered below, like any other value out of range.
        }
        throw HttpError.invalidBody(name + " must be a whole number from " + min + " to " + max);
    }

    /** True when the body is binary protobuf, false for JSON; 415 for anything else. */
    boolean sendsProtobuf() throws HttpError {
        sentProtobuf = Bodies.isProtobufBody(request);
        return sentProtobuf;
    }

    /** The body of a streamed route, spooled to a file; empty on other routes or when nothing was spooled. */
    Optional<SpooledRequest.Spool> spooled() {
        return request instanceof SpooledRequest spooled ? spooled.spool() : Optional.empty();
    }

    /** A request header, or null. */
    String header(CharSequence name) {
        return request.headers().get(name);
    }

    /** The raw body, for a look at its shape before it is parsed. */
    ByteBuf content() {
        return request.content();
    }

    /** Reads the body, once, into the builder in the encoding the request declares. */
    <B extends Message.Builder> B body(B builder) throws HttpError {
        return Bodies.read(request, sendsProtobuf(), builder);
    }

    /** True when the client asks for protobuf answers (by Accept, or by sending protobuf). */
    boolean wantsProtobuf() {
        return Bodies.wantsProtobuf(request.headers(), sentProtobuf);
    }
}
