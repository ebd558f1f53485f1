package org.optline.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.optline.server.wire.Malformed;

/**
 * A request that cannot be served, with the status and reason code to answer it with. Thrown
 * (or failing a future) only while a request is served, and always turned into a response.
 * Its detail never quotes the caller's input.
 */
final class HttpError extends Exception {
    final HttpResponseStatus status;
    final String reason;

    HttpError(HttpResponseStatus status, String reason, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    static HttpError invalidBody(String detail) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, "INVALID_BODY", detail);
    }

    /** A field of the request that cannot become a domain value. */
    static HttpError of(Malformed malformed) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, malformed.reason(), malformed.getMessage());
    }

    static HttpError unknownBusiness() {
        return new HttpError(HttpResponseStatus.NOT_FOUND, "UNKNOWN_BUSINESS", "no business with this id");
    }

    /** Errors are always JSON, whatever the request asked for: the one form every client can read. */
    Reply reply() {
        Reply reply = Reply.error(status, reason, getMessage());
        if (status.equals(HttpResponseStatus.UNAUTHORIZED)) {
            reply.header("WWW-Authenticate", "Bearer");
        }
        if (status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            reply.header("Retry-After", 1);
        }
        return reply;
    }
}
