package org.optline.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.business.KeyUsage;
import org.optline.core.business.PlatformScope;
import org.optline.proto.v1.CredentialUsage;
import org.optline.proto.v1.CredentialUsageList;
import org.optline.server.Lifecycle;

/**
 * Health and metrics for the operator and the load balancer (open, and served while the node
 * drains), and the last use of each key (a platform key with the operations scope).
 */
final class OperationsEndpoints {
    private static final String JSON = Bodies.JSON;
    private final Lifecycle lifecycle;
    private final PrometheusMeterRegistry registry;
    private final BusinessDirectory directory;

    OperationsEndpoints(Lifecycle lifecycle, PrometheusMeterRegistry registry, BusinessDirectory directory) {
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.directory = directory;
    }

    /**
     * {@code GET /v1/operations/credentials}: every configured key version by its id (8 hex digits
     * of its SHA-256), whose it is, and when it was last used, so that an operator rotating a key
     * sees when the old one fell out of use. Never a key or a whole hash.
     */
    CompletableFuture<Reply> credentials(HttpCall call) {
        return done(Reply.ok(directory.usage(), OperationsEndpoints::usageList));
    }

    private static CredentialUsageList usageList(List<KeyUsage> usage) {
        CredentialUsageList.Builder list = CredentialUsageList.newBuilder();
        for (KeyUsage key : usage) {
            CredentialUsage.Builder entry = list.addCredentialsBuilder()
                    .setKeyId(key.keyId())
                    .setKind(key.platform() ? "platform" : "business")
                    .setOwner(key.owner());
            key.scopes().stream().map(PlatformScope::tag).sorted().forEach(entry::addScopes);
            key.lastUsed().ifPresent(at -> entry.setLastUsedAt(at.truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        return list.build();
    }

    /** {@code GET /health/live}: the process answers. */
    CompletableFuture<Reply> live(HttpCall call) {
        return done(Reply.text(HttpResponseStatus.OK, JSON, () -> "{\"status\":\"UP\"}"));
    }

    /** {@code GET /health/ready}: 503 from the moment a shutdown begins, so the load balancer moves on. */
    CompletableFuture<Reply> ready(HttpCall call) {
        return done(lifecycle.isReady()
                ? Reply.text(HttpResponseStatus.OK, JSON, () -> "{\"status\":\"READY\"}")
                : Reply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, () -> "{\"status\":\"NOT_READY\"}"));
    }

    /** {@code GET /metrics}: the Prometheus text format. */
    CompletableFuture<Reply> metrics(HttpCall call) {
        return done(Reply.text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", registry::scrape));
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
