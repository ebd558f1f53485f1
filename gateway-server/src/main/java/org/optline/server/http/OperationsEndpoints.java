package org.optline.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import org.optline.server.Lifecycle;

/** Health and metrics for the operator and the load balancer; open, and served while the node drains. */
final class OperationsEndpoints {
    private static final String JSON = Bodies.JSON;
    private final Lifecycle lifecycle;
    private final PrometheusMeterRegistry registry;

    OperationsEndpoints(Lifecycle lifecycle, PrometheusMeterRegistry registry) {
        this.lifecycle = lifecycle;
        this.registry = registry;
    }

    /** {@code GET /health/live}: the process answers. */
    CompletableFuture<Reply> live(HttpCall call) {
        return done(Reply.text(HttpResponseStatus.OK, JSON, () -> "{\"status\":\"UP\"}"));
    }

    /**
     * {@code GET /health/ready}: 503 from the moment a shutdown begins, and while the store has a
     * fault, with the reason, so the load balancer moves on and the operator sees why.
     */
    CompletableFuture<Reply> ready(HttpCall call) {
        return done(lifecycle.notReadyBecause()
                .map(reason -> Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, JSON,
                        () -> "{\"status\":\"NOT_READY\",\"reason\":\"" + reason + "\"}"))
                .orElseGet(() -> Reply.text(HttpResponseStatus.OK, JSON, () -> "{\"status\":\"READY\"}")));
    }

    /** {@code GET /metrics}: the Prometheus text format. */
    CompletableFuture<Reply> metrics(HttpCall call) {
        return done(Reply.text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", registry::scrape));
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
