package org.optline.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import org.optline.core.template.TemplateService;
import org.optline.proto.v1.TemplateRequest;
import org.optline.server.wire.TemplateWire;

/**
 * A business's templates, managed with its own key: register (reviewed by the classifier), list,
 * read, register a new version, delete. Each change is in effect for every message once answered.
 */
final class TemplateEndpoints {
    private final TemplateService templates;

    TemplateEndpoints(TemplateService templates) {
        this.templates = templates;
    }

    /** {@code POST /v1/templates}: registers version 1; 422 REJECTED_SPAM when the review refuses the wording. */
    CompletableFuture<Reply> register(HttpCall call) throws HttpError {
        TemplateRequest body = call.body(TemplateRequest.newBuilder()).build();
        return templates.register(call.business().id(), body.getName(), TemplateWire.declared(body), body.getText())
                .thenApply(TemplateEndpoints::answer);
    }

    /** {@code GET /v1/templates}: the business's templates, configured and registered, by name. */
    CompletableFuture<Reply> list(HttpCall call) {
        return CompletableFuture.completedFuture(
                Reply.ok(templates.templates(call.business().id()), TemplateWire::templates));
    }

    /** {@code GET /v1/templates/{name}}: one template; 404 when the business has none of that name. */
    CompletableFuture<Reply> read(HttpCall call) throws HttpError {
        String name = call.decodedParameter("name");
        return CompletableFuture.completedFuture(templates.template(call.business().id(), name)
                .map(template -> Reply.ok(template, TemplateWire::template))
                .orElseGet(() -> notFound().reply()));
    }

    /** {@code PUT /v1/templates/{name}}: a new version, reviewed again; the version number goes up by one. */
    CompletableFuture<Reply> newVersion(HttpCall call) throws HttpError {
        String name = call.decodedParameter("name");
        TemplateRequest body = call.body(TemplateRequest.newBuilder()).build();
        if (!body.getName().isEmpty() && !body.getName().equals(name)) {
            throw HttpError.invalidBody("the body's name differs from the path's; leave it out or make them the same");
        }
        return templates.newVersion(call.business().id(), name, TemplateWire.declared(body), body.getText())
                .thenApply(TemplateEndpoints::answer);
    }

    /** {@code DELETE /v1/templates/{name}}: answers the template deleted; messages naming it are UNKNOWN_TEMPLATE. */
    CompletableFuture<Reply> delete(HttpCall call) throws HttpError {
        String name = call.decodedParameter("name");
        return templates.delete(call.business().id(), name).thenApply(TemplateEndpoints::answer);
    }

    private static Reply answer(TemplateService.Changed changed) {
        if (changed instanceof TemplateService.Changed.Done done) {
            return Reply.ok(done.template(), TemplateWire::template);
        }
        if (changed instanceof TemplateService.Changed.RefusedAsSpam refused) {
            return Reply.error(HttpResponseStatus.UNPROCESSABLE_ENTITY, "REJECTED_SPAM",
                    refused.reason() + "; such a template is not registered");
        }
        if (changed instanceof TemplateService.Changed.Invalid invalid) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, "INVALID_TEMPLATE", invalid.reason());
        }
        if (changed instanceof TemplateService.Changed.AlreadyExists) {
            return Reply.error(HttpResponseStatus.CONFLICT, "TEMPLATE_EXISTS",
                    "a template of that name exists; PUT /v1/templates/{name} registers a new version");
        }
        if (changed instanceof TemplateService.Changed.Configured) {
            return Reply.error(HttpResponseStatus.CONFLICT, "TEMPLATE_CONFIGURED",
                    "this template comes from the node's configuration; only its operator changes it");
        }
        if (changed instanceof TemplateService.Changed.TooMany) {
            return Reply.error(HttpResponseStatus.CONFLICT, "TOO_MANY_TEMPLATES", "a business may register at most "
                    + TemplateService.MAX_TEMPLATES_PER_BUSINESS + " templates; delete one first");
        }
        return notFound().reply();
    }

    private static HttpError notFound() {
        return new HttpError(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no template of that name");
    }
}
