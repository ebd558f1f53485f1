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
    /** Seconds for the Retry-After header; 0 for the default (1 s on a 503, none otherwise). */
    private final long retryAfterSeconds;

    HttpError(HttpResponseStatus status, String reason, String detail) {
        this(status, reason, detail, 0);
    }

    private HttpError(HttpResponseStatus status, String reason, String detail, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429: the client's address failed to authenticate too often; it may try again after {@code blocked}. */
    static HttpError tooManyFailures(java.time.Duration blocked) {
        long seconds = Math.max(1, (blocked.toMillis() + 999) / 1000);
        return new HttpError(HttpResponseStatus.TOO_MANY_REQUESTS, "TOO_MANY_FAILURES",
                "too many failed authentications from your address; retry after " + seconds
                        + " s with the right key", seconds);
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
        if (retryAfterSeconds > 0) {
            reply.header("Retry-After", retryAfterSeconds);
        } else if (status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            reply.header("Retry-After", 1);
        }
        return reply;
    }
}
