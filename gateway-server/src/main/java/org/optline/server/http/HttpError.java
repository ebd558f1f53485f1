package org.optline.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request that cannot be served, with the status and reason code to answer it with. Thrown
 * only inside the HTTP handler while reading a request, and always turned into a response.
 */
final class HttpError extends Exception {
    final HttpResponseStatus status;
    final String reason;

    HttpError(HttpResponseStatus status, String reason, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.reason = reason;
    }
}
