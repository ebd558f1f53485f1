package org.optline.server.http;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;
import static org.optline.core.business.PlatformScope.CONSENTS;
import static org.optline.core.business.PlatformScope.ERASURE;
import static org.optline.core.business.PlatformScope.INBOX;
import static org.optline.core.business.PlatformScope.OPERATIONS;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.optline.core.business.Business;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.business.Origin;
import org.optline.core.recipient.PhoneNumber;
import org.optline.server.ServerContext;
import org.optline.server.guard.AuthenticationFailures;
import org.optline.server.guard.Guards;
import org.optline.server.guard.Listener;

/**
 * The HTTP API: the route table, and what every request goes through before its endpoint runs —
 * the route found by method and path, readiness (while the node drains only the open operations
 * routes are served), and the credential the route declares. Runs on the event loop.
 */
final class HttpApi {
    private final Routes routes;
    private final BusinessDirectory directory;
    private final BooleanSupplier ready;
    private final AuthenticationFailures failures;

    HttpApi(Routes routes, BusinessDirectory directory, BooleanSupplier ready) {
        this(routes, directory, ready, Guards.standalone().authenticationFailures());
    }

    HttpApi(Routes routes, BusinessDirectory directory, BooleanSupplier ready, AuthenticationFailures failures) {
        this.routes = routes;
        this.directory = directory;
        this.ready = ready;
        this.failures = failures;
    }

    /** The push channel: a WebSocket upgrade of a GET on this path (see {@link PushUpgrade}). */
    static final String PUSH_PATH = "/v1/inbox/{recipient}/push";

    /** The gateway's API. Adding an endpoint: a method in its feature's endpoints class, and one line here. */
    static HttpApi of(ServerContext server) {
        var operations = new OperationsEndpoints(server.lifecycle(), server.registry(), server.directory(),
                server.backups());
        var messages = new MessageEndpoints(server.submissions(), server.messageStatus());
        var consents = new ConsentEndpoints(server.consents(), server.erasure(), server.clock());
        var inbox = new InboxEndpoints(server.inbox());
        var webhooks = new WebhookEndpoints(server.webhooks());
        var campaigns = new CampaignEndpoints(server.campaigns());
        var console = new ConsoleEndpoints();
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
                .route(PUT,    "/v1/consents",                     Access.PLATFORM, CONSENTS,   consents::change)
                .route(GET,    "/v1/consents/{recipient}",         Access.PLATFORM, CONSENTS,   consents::records)
                .route(GET,    "/v1/consents/{recipient}/events",  Access.PLATFORM, CONSENTS,   consents::history)
                .route(POST,   "/v1/replies",                      Access.PLATFORM, CONSENTS,   consents::reply)
                .route(DELETE, "/v1/recipients/{recipient}",       Access.PLATFORM, ERASURE,    consents::erase)
                .route(GET,    "/v1/inbox/{recipient}",            Access.PLATFORM, INBOX,      inbox::read)
                .route(POST,   "/v1/inbox/{recipient}/ack",        Access.PLATFORM, INBOX,      inbox::acknowledge)
                .route(POST,   "/v1/inbox/{recipient}/read",       Access.PLATFORM, INBOX,      inbox::markRead)
                .route(POST,   "/v1/inbox/{recipient}/fail",       Access.PLATFORM, INBOX,      inbox::fail)
                .route(GET,    PUSH_PATH,                          Access.PLATFORM, INBOX,      inbox::push)
                .route(PUT,    "/v1/webhook",                      Access.BUSINESS, webhooks::register)
                .route(GET,    "/v1/webhook",                      Access.BUSINESS, webhooks::get)
                .route(DELETE, "/v1/webhook",                      Access.BUSINESS, webhooks::delete)
                .route(POST,   "/v1/webhook/secrets",              Access.BUSINESS, webhooks::rotateSecret)
                .route(GET,    "/v1/webhook/dead-letters",         Access.BUSINESS, webhooks::deadLetters)
                .route(POST,   "/v1/webhook/dead-letters/replay",  Access.BUSINESS, webhooks::replay)
                .route(GET,    "/v1/campaigns",                    Access.BUSINESS, campaigns::list)
                .route(POST,   "/v1/campaigns",                    Access.BUSINESS, campaigns::create)
                .route(GET,    "/v1/campaigns/{campaignId}",       Access.BUSINESS, campaigns::find)
                .streamed(POST, "/v1/campaigns/{campaignId}/audience", Access.BUSINESS, campaigns::upload)
                .route(POST,   "/v1/campaigns/{campaignId}/schedule", Access.BUSINESS, campaigns::schedule)
                .route(POST,   "/v1/campaigns/{campaignId}/pause", Access.BUSINESS, campaigns::pause)
                .route(POST,   "/v1/campaigns/{campaignId}/resume", Access.BUSINESS, campaigns::resume)
                .route(POST,   "/v1/campaigns/{campaignId}/cancel", Access.BUSINESS, campaigns::cancel)
                .route(GET,    "/v1/campaigns/{campaignId}/report", Access.BUSINESS, campaigns::report)
                .route(GET,    "/console",                         Access.NONE,     console::index)
                .route(GET,    "/console/{file}",                  Access.NONE,     console::file)
                .route(GET,    "/v1/operations/credentials",       Access.PLATFORM, OPERATIONS, operations::credentials)
                .route(POST,   "/v1/operations/backup",            Access.PLATFORM, OPERATIONS, operations::backup)
                .route(POST,   "/v1/templates",                    Access.BUSINESS, templates::register)
                .route(GET,    "/v1/templates",                    Access.BUSINESS, templates::list)
                .route(GET,    "/v1/templates/{name}",             Access.BUSINESS, templates::read)
                .route(PUT,    "/v1/templates/{name}",             Access.BUSINESS, templates::newVersion)
                .route(DELETE, "/v1/templates/{name}",             Access.BUSINESS, templates::delete)
                .route(GET,    "/v1/business",                     Access.BUSINESS, standing::own)
                .route(GET,    "/v1/business/events",              Access.BUSINESS, standing::events)
                .route(POST,   "/v1/feedback",                     Access.PLATFORM, CONSENTS,   feedback::report)
                .route(GET,    "/v1/recipients/{recipient}/marketing-budget", Access.PLATFORM, CONSENTS,
                        feedback::budget)
                .route(GET,    "/v1/operations/businesses/{businessId}", Access.PLATFORM, OPERATIONS, standing::business)
                .route(POST,   "/v1/operations/businesses/{businessId}/lift-pause", Access.PLATFORM, OPERATIONS,
                        standing::lift)
                .build();
        return new HttpApi(routes, server.directory(), server.lifecycle()::isReady,
                server.guards().authenticationFailures());
    }

    Routes routes() {
        return routes;
    }

    /**
     * The business a request's key belongs to, if it may be used from where the request comes: for
     * a streamed upload, before its body is spooled. A key that does not is counted like any other.
     */
    Optional<Business> business(HttpRequest request, Origin origin) {
        if (failures.isBlocked(origin.address())) {
            return Optional.empty();
        }
        String key = bearer(request);
        if (directory.check(key, origin) instanceof BusinessDirectory.Check.Business business) {
            return Optional.of(business.business());
        }
        failed(key, origin);
        return Optional.empty();
    }

    boolean isReady() {
        return ready.getAsBoolean();
    }

    /**
     * A request's answer to come, whether it is to be encoded as protobuf, and the call it answers
     * (null for an answer given before any endpoint ran).
     */
    record Answer(CompletableFuture<Reply> reply, boolean protobuf, HttpCall call) {
        static Answer now(Reply reply) {
            return new Answer(CompletableFuture.completedFuture(reply), false, null);
        }

        /** The client went away before this answer was written. */
        void abandon() {
            if (call != null) {
                call.abandon();
            }
        }
    }

    /**
     * True when a request with this head will have its body read: its route exists for its
     * method and its credential is valid there (or the route is open). Anything else is answered
     * from the head alone, so the body of a request that will be refused is never buffered.
     * Counts nothing: the refusal itself is counted when {@link #serve} answers it.
     */
    boolean readsBodyOf(HttpRequest head, Origin origin) {
        String path = new QueryStringDecoder(head.uri()).rawPath();
        if (!(routes.match(head.method(), path) instanceof Routes.Match.Found found)) {
            return false;
        }
        if (found.route().access() != Access.NONE && failures.isBlocked(origin.address())) {
            return false;
        }
        if (found.route().access() == Access.NONE) {
            return true;
        }
        return accepted(found.route(), directory.peek(bearer(head), origin));
    }

    /** Serves one well-formed request. Never throws: every failure is an answer. */
    Answer serve(FullHttpRequest request, Origin origin) {
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
            HttpCall call = new HttpCall(request, found.parameters(),
                    authenticate(found.route(), request, origin));
            CompletableFuture<Reply> reply = found.route().endpoint().handle(call);
            return new Answer(reply, call.wantsProtobuf(), call);
        } catch (HttpError e) {
            return Answer.now(e.reply());
        } catch (RuntimeException bug) {
            // Answered 500 by the handler, which reports it; the connection stays usable.
            return new Answer(CompletableFuture.failedFuture(bug), false, null);
        }
    }

    /**
     * For a WebSocket upgrade request: the recipient whose push channel the caller may open, or the
     * refusal to answer instead (as for any request: readiness, credential, recipient); null when
     * the request is not for the push route, which is then served like any other.
     */
    Upgrade upgrade(FullHttpRequest request, Origin origin) {
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
            HttpCall call = new HttpCall(request, found.parameters(), authenticate(found.route(), request, origin));
            return new Upgrade(call.recipientParameter("recipient"), null);
        } catch (HttpError e) {
            return new Upgrade(null, Answer.now(e.reply()));
        }
    }

    /** An upgrade to allow ({@code recipient}) or refuse ({@code refusal}). */
    record Upgrade(PhoneNumber recipient, Answer refusal) {}

    /**
     * The business the key stands for on a business route, null on other routes; or the refusal.
     * An address that failed too often is refused before its key is looked at; a key presented
     * and not valid here is counted against its address (a missing key is a mistake, not a guess,
     * and a valid key on the wrong kind of route is not a guess either).
     */
    private Business authenticate(Route route, FullHttpRequest request, Origin origin) throws HttpError {
        if (route.access() == Access.NONE) {
            return null;
        }
        Duration blocked = failures.blocked(origin.address(), Listener.HTTP);
        if (!blocked.isZero()) {
            throw HttpError.tooManyFailures(blocked);
        }
        String key = bearer(request);
        BusinessDirectory.Check check = directory.check(key, origin);
        if (accepted(route, check)) {
            return check instanceof BusinessDirectory.Check.Business business ? business.business() : null;
        }
        if (route.access() == Access.BUSINESS) {
            if (check instanceof BusinessDirectory.Check.Unknown || check instanceof BusinessDirectory.Check.Restricted) {
                failed(key, origin);
            }
            throw new HttpError(HttpResponseStatus.UNAUTHORIZED, "UNAUTHENTICATED",
                    "a valid business API key is required (keys may be restricted to listeners, addresses or a"
                            + " client certificate)");
        }
        if (check instanceof BusinessDirectory.Check.Business) {
            throw new HttpError(HttpResponseStatus.FORBIDDEN, "FORBIDDEN",
                    "this endpoint takes the platform credential, never a business key");
        }
        if (check instanceof BusinessDirectory.Check.Platform) {
            throw new HttpError(HttpResponseStatus.FORBIDDEN, "FORBIDDEN",
                    "this platform key lacks the " + route.scope().tag() + " scope this endpoint needs");
        }
        failed(key, origin);
        throw new HttpError(HttpResponseStatus.UNAUTHORIZED, "UNAUTHENTICATED", "the platform credential is required");
    }

    /** True when the key checked is what the route needs. */
    private static boolean accepted(Route route, BusinessDirectory.Check check) {
        return switch (route.access()) {
            case NONE -> true;
            case BUSINESS -> check instanceof BusinessDirectory.Check.Business;
            case PLATFORM -> check instanceof BusinessDirectory.Check.Platform platform
                    && platform.key().may(route.scope());
        };
    }

    private void failed(String key, Origin origin) {
        if (!key.isEmpty()) {
            failures.failed(origin.address(), Listener.HTTP);
        }
    }

    private static String bearer(HttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "";
        }
        return header.substring(7).trim();
    }
}
