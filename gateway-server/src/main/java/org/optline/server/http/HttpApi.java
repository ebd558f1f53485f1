package org.optline.server.http;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.optline.core.business.Business;
import org.optline.core.business.BusinessDirectory;
import org.optline.server.ServerContext;

/**
 * The HTTP API: the route table, and what every request goes through before its endpoint runs —
 * the route found by method and path, readiness (while the node drains only the open operations
 * routes are served), and the credential the route declares. Runs on the event loop.
 */
final class HttpApi {
    private final Routes routes;
    private final BusinessDirectory directory;
    private final BooleanSupplier ready;

    HttpApi(Routes routes, BusinessDirectory directory, BooleanSupplier ready) {
        this.routes = routes;
        this.directory = directory;
        this.ready = ready;
    }

    /** The push channel: a WebSocket upgrade of a GET on this path (see {@link PushUpgrade}). */
    static final String PUSH_PATH = "/v1/inbox/{recipient}/push";

    /** The gateway's API. Adding an endpoint: a method in its feature's endpoints class, and one line here. */
    static HttpApi of(ServerContext server) {
        var operations = new OperationsEndpoints(server.lifecycle(), server.registry(), server.backups());
        var messages = new MessageEndpoints(server.submissions(), server.messageStatus());
        var consents = new ConsentEndpoints(server.consents(), server.erasure(), server.clock());
        var inbox = new InboxEndpoints(server.inbox());
        var webhooks = new WebhookEndpoints(server.webhooks());
        var templates = new TemplateEndpoints(server.templates());
        var standing = new StandingEndpoints(server.quality());
        var feedback = new FeedbackEndpoints(server.feedback(), server.budgets(), server.directory());
        Routes routes = Routes.builder()
                .route(GET,    "/health/live",                     Access.NONE,     operations::live)
                .route(GET,    "/health/ready",                    Access.NONE,     operations::ready)
                .route(GET,    "/metrics",                         Access.NONE,     operations::metrics)
                .route(POST,   "/v1/messages",                     Access.BUSINESS, messages::submit)
                .route(GET,    "/v1/messages/{messageId}",         Access.BUSINESS, messages::status)
                .route(GET,    "/v1/messages/by-client-id/{clientMessageId}", Access.BUSINESS,
                        messages::statusByClientMessageId)
                .route(POST,   "/v1/consent-requests",             Access.BUSINESS, consents::ask)
                .route(GET,    "/v1/consent-requests/{recipient}", Access.BUSINESS, consents::requests)
                .route(PUT,    "/v1/consents",                     Access.PLATFORM, consents::change)
                .route(GET,    "/v1/consents/{recipient}",         Access.PLATFORM, consents::records)
                .route(GET,    "/v1/consents/{recipient}/events",  Access.PLATFORM, consents::history)
                .route(POST,   "/v1/replies",                      Access.PLATFORM, consents::reply)
                .route(DELETE, "/v1/recipients/{recipient}",       Access.PLATFORM, consents::erase)
                .route(GET,    "/v1/inbox/{recipient}",            Access.PLATFORM, inbox::read)
                .route(POST,   "/v1/inbox/{recipient}/ack",        Access.PLATFORM, inbox::acknowledge)
                .route(POST,   "/v1/inbox/{recipient}/read",       Access.PLATFORM, inbox::markRead)
                .route(POST,   "/v1/inbox/{recipient}/fail",       Access.PLATFORM, inbox::fail)
                .route(GET,    PUSH_PATH,                          Access.PLATFORM, inbox::push)
                .route(PUT,    "/v1/webhook",                      Access.BUSINESS, webhooks::register)
                .route(GET,    "/v1/webhook",                      Access.BUSINESS, webhooks::get)
                .route(DELETE, "/v1/webhook",                      Access.BUSINESS, webhooks::delete)
                .route(POST,   "/v1/webhook/secrets",              Access.BUSINESS, webhooks::rotateSecret)
                .route(GET,    "/v1/webhook/dead-letters",         Access.BUSINESS, webhooks::deadLetters)
                .route(POST,   "/v1/webhook/dead-letters/replay",  Access.BUSINESS, webhooks::replay)
                .route(POST,   "/v1/templates",                    Access.BUSINESS, templates::register)
                .route(GET,    "/v1/templates",                    Access.BUSINESS, templates::list)
                .route(GET,    "/v1/templates/{name}",             Access.BUSINESS, templates::read)
                .route(PUT,    "/v1/templates/{name}",             Access.BUSINESS, templates::newVersion)
                .route(DELETE, "/v1/templates/{name}",             Access.BUSINESS, templates::delete)
                .route(GET,    "/v1/business",                     Access.BUSINESS, standing::own)
                .route(GET,    "/v1/business/events",              Access.BUSINESS, standing::events)
                .route(POST,   "/v1/feedback",                     Access.PLATFORM, feedback::report)
                .route(GET,    "/v1/recipients/{recipient}/marketing-budget", Access.PLATFORM, feedback::budget)
                .route(POST,   "/v1/operations/backup",            Access.PLATFORM, operations::backup)
                .route(GET,    "/v1/operations/businesses/{businessId}", Access.PLATFORM, standing::business)
                .route(POST,   "/v1/operations/businesses/{businessId}/lift-pause", Access.PLATFORM, standing::lift)
                .build();
        return new HttpApi(routes, server.directory(), server.lifecycle()::isReady);
    }

    Routes routes() {
        return routes;
    }

    /** A request's answer to come, and whether it is to be encoded as protobuf. */
    record Answer(CompletableFuture<Reply> reply, boolean protobuf) {
        static Answer now(Reply reply) {
            return new Answer(CompletableFuture.completedFuture(reply), false);
        }
    }

    /** Serves one well-formed request. Never throws: every failure is an answer. */
    Answer serve(FullHttpRequest request) {
        try {
            // The raw path: a decoded one would have turned %2F into a separator and %2B into '+' too early.
            String path = new QueryStringDecoder(request.uri()).rawPath();
            Routes.Match match = routes.match(request.method(), path);
            boolean open = match instanceof Routes.Match.Found found ? found.route().access() == Access.NONE
                    : match instanceof Routes.Match.WrongMethod wrong && wrong.open();
            if (!open && !ready.getAsBoolean()) {
                throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "SHUTTING_DOWN",
                        "the gateway is shutting down; retry on another node");
            }
            if (match instanceof Routes.Match.WrongMethod wrong) {
                String allowed = wrong.allowed().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
                return Answer.now(new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                        "this endpoint takes " + allowed).reply().header("Allow", allowed));
            }
            if (!(match instanceof Routes.Match.Found found)) {
                throw new HttpError(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no such endpoint");
            }
            HttpCall call = new HttpCall(request, found.parameters(), authenticate(found.route().access(), request));
            CompletableFuture<Reply> reply = found.route().endpoint().handle(call);
            return new Answer(reply, call.wantsProtobuf());
        } catch (HttpError e) {
            return Answer.now(e.reply());
        }
    }

    /**
     * For a WebSocket upgrade request: the recipient whose push channel the caller may open, or the
     * refusal to answer instead (as for any request: readiness, credential, recipient); null when
     * the request is not for the push route, which is then served like any other.
     */
    Upgrade upgrade(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).rawPath();
        if (!(routes.match(request.method(), path) instanceof Routes.Match.Found found)
                || !found.route().path().toString().equals(PUSH_PATH)) {
            return null;
        }
        try {
            if (!ready.getAsBoolean()) {
                throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "SHUTTING_DOWN",
                        "the gateway is shutting down; retry on another node");
            }
            HttpCall call = new HttpCall(request, found.parameters(), authenticate(found.route().access(), request));
            return new Upgrade(call.recipientParameter("recipient"), null);
        } catch (HttpError e) {
            return new Upgrade(null, Answer.now(e.reply()));
        }
    }

    /** An upgrade to allow ({@code recipient}) or refuse ({@code refusal}). */
    record Upgrade(org.optline.core.recipient.PhoneNumber recipient, Answer refusal) {}

    private Business authenticate(Access access, FullHttpRequest request) throws HttpError {
        String key = bearer(request);
        switch (access) {
            case BUSINESS:
                return directory.authenticate(key).orElseThrow(() -> new HttpError(
                        HttpResponseStatus.UNAUTHORIZED, "UNAUTHENTICATED", "a valid business API key is required"));
            case PLATFORM:
                if (directory.isPlatform(key)) {
                    return null;
                }
                if (directory.authenticate(key).isPresent()) {
                    throw new HttpError(HttpResponseStatus.FORBIDDEN, "FORBIDDEN",
                            "this endpoint takes the platform credential, never a business key");
                }
                throw new HttpError(HttpResponseStatus.UNAUTHORIZED, "UNAUTHENTICATED",
                        "the platform credential is required");
            default:
                return null;
        }
    }

    private static String bearer(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "";
        }
        return header.substring(7).trim();
    }
}
