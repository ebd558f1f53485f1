package org.optline.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.storage.BackupService;
import org.optline.proto.v1.BackupRequest;
import org.optline.server.Lifecycle;
import org.optline.server.wire.OperationsWire;

/**
 * Health and metrics for the operator and the load balancer (open, and served while the node
 * drains); the last use of each key and online backups (a platform key with the operations scope).
 */
final class OperationsEndpoints {
    private static final String JSON = Bodies.JSON;
    private final Lifecycle lifecycle;
    private final PrometheusMeterRegistry registry;
    private final BusinessDirectory directory;
    private final BackupService backups;

    OperationsEndpoints(Lifecycle lifecycle, PrometheusMeterRegistry registry, BusinessDirectory directory,
                        BackupService backups) {
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.directory = directory;
        this.backups = backups;
    }

    /**
     * {@code GET /v1/operations/credentials}: every configured key version by its id (8 hex digits
     * of its SHA-256), whose it is, and when it was last used, so that an operator rotating a key
     * sees when the old one fell out of use. Never a key or a whole hash.
     */
    CompletableFuture<Reply> credentials(HttpCall call) {
        return done(Reply.ok(directory.usage(), OperationsWire::credentials));
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

    /**
     * {@code POST /v1/operations/backup}: a consistent copy of the store, made while the node
     * runs, in a new directory under {@code backup.dir}; answered once it is made and checked.
     */
    CompletableFuture<Reply> backup(HttpCall call) throws HttpError {
        String name = call.content().isReadable() ? call.body(BackupRequest.newBuilder()).getName() : "";
        return backups.backup(name).thenApply(OperationsEndpoints::backedUp);
    }

    private static Reply backedUp(BackupService.Result result) {
        if (result instanceof BackupService.Result.Made made) {
            return Reply.ok(made, OperationsWire::backup);
        }
        if (result instanceof BackupService.Result.InvalidName) {
            return HttpError.invalidBody("name must be 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-', starting with a"
                    + " letter or digit").reply();
        }
        if (result instanceof BackupService.Result.AlreadyExists exists) {
            return Reply.error(HttpResponseStatus.CONFLICT, "BACKUP_EXISTS",
                    "a backup of that name exists already; choose another name");
        }
        if (result instanceof BackupService.Result.InProgress) {
            return Reply.error(HttpResponseStatus.CONFLICT, "BACKUP_IN_PROGRESS",
                    "another backup is being made; ask again when it is over");
        }
        if (result instanceof BackupService.Result.NotDurable) {
            return Reply.error(HttpResponseStatus.CONFLICT, "NOT_DURABLE",
                    "this node keeps its data in memory (storage=memory): there is nothing to back up");
        }
        return Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "BACKUP_FAILED",
                ((BackupService.Result.Failed) result).why());
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
