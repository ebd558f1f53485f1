package org.optline.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.webhook.WebhookRegistration;
import org.optline.core.webhook.WebhookService;
import org.optline.proto.v1.WebhookRequest;
import org.optline.server.wire.WebhookWire;

/** A business's webhook, managed with its own key: URL, signing secrets, dead letters. */
final class WebhookEndpoints {
    private final WebhookService webhooks;

    WebhookEndpoints(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    /** {@code PUT /v1/webhook}: registers or changes the URL; answers the webhook with its secrets. */
    CompletableFuture<Reply> register(HttpCall call) throws HttpError {
        String url = call.body(WebhookRequest.newBuilder()).getUrl();
        return webhooks.register(call.business().id(), url).thenApply(registered -> {
            if (registered instanceof WebhookService.Registered.Done done) {
                return Reply.ok(done.registration(), WebhookWire::webhook);
            }
            return HttpError.invalidBody(((WebhookService.Registered.InvalidUrl) registered).detail()).reply();
        });
    }

    /** {@code GET /v1/webhook}: the webhook and the secrets that sign now; an empty object when none. */
    CompletableFuture<Reply> get(HttpCall call) {
        return webhooks.registration(call.business().id()).thenApply(found -> Reply.ok(found, WebhookWire::webhook));
    }

    /** {@code DELETE /v1/webhook}: no more events; pending ones and dead letters go. */
    CompletableFuture<Reply> delete(HttpCall call) {
        return webhooks.unregister(call.business().id())
                .thenApply(done -> Reply.ok(Optional.<WebhookRegistration>empty(), WebhookWire::webhook));
    }

    /** {@code POST /v1/webhook/secrets}: a new secret; the old one signs too until its overlap ends. */
    CompletableFuture<Reply> rotateSecret(HttpCall call) {
        return webhooks.rotateSecret(call.business().id()).thenApply(rotated -> rotated
                .map(registration -> Reply.ok(registration, WebhookWire::webhook))
                .orElseGet(() -> Reply.error(HttpResponseStatus.NOT_FOUND, "NOT_FOUND",
                        "no webhook is registered; PUT /v1/webhook first")));
    }

    /** {@code GET /v1/webhook/dead-letters?max=N}: events given up after every retry, oldest first. */
    CompletableFuture<Reply> deadLetters(HttpCall call) throws HttpError {
        return webhooks.deadLetters(call.business().id(), max(call))
                .thenApply(events -> Reply.ok(events, WebhookWire::deadLetters));
    }

    /** {@code POST /v1/webhook/dead-letters/replay?max=N}: sends dead letters again, after what is pending. */
    CompletableFuture<Reply> replay(HttpCall call) throws HttpError {
        return webhooks.replay(call.business().id(), max(call)).thenApply(moved -> Reply.ok(moved, WebhookWire::replayed));
    }

    private static int max(HttpCall call) throws HttpError {
        return call.intQuery("max", WebhookService.MAX_PAGE, 1, WebhookService.MAX_PAGE);
    }
}
