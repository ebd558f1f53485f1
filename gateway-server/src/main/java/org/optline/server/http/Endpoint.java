package org.optline.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * One endpoint of the API: decodes the call, calls one service method and says how to answer.
 * Runs on the connection's event loop, so it never waits: the service's future carries the
 * work, and the {@link Reply} it completes with is encoded back on the event loop.
 */
@FunctionalInterface
interface Endpoint {
    CompletableFuture<Reply> handle(HttpCall call) throws HttpError;
}
