package org.optline.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request that cannot be served, with the status and reason code to answer it with. Thrown
 * only inside the HTTP handler while reading a request, and always turned into a response.
 */
final class HttpError extends Exception {
    final HttpResponseStatus status;
    final String reason;
    /** For 405: the method the endpoint takes. */
    final HttpMethod allow;

    HttpError(HttpResponseStatus status, String reason, String detail) {
        this(status, reason, detail, null);
    }

    HttpError(HttpResponseStatus status, String reason, String detail, HttpMethod allow) {
        super(detail, null, false, false);
        this.status = status;
        this.reason = reason;
        this.allow = allow;
    }
}
