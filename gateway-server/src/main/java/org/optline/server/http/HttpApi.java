package org.optline.server.http;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

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
        this(routes, directory, ready, Guards.forTests().authenticationFailures());
    }

    HttpApi(Routes routes, BusinessDirectory directory, BooleanSupplier ready, AuthenticationFailures failures) {
        this.routes = routes;
        this.directory = directory;
        this.ready = ready;
        this.failures = failures;
    }

    /** The gateway's API. Adding an endpoint: a method in its feature's endpoints class, and one line here. */
    static HttpApi of(ServerContext server) {
        var operations = new OperationsEndpoints(server.lifecycle(), server.registry());
        var messages = new MessageEndpoints(server.submissions(), server.messageStatus());
        var consents = new ConsentEndpoints(server.consents(), server.erasure(), server.clock());
        var inbox = new InboxEndpoints(server.inbox());
        Routes routes = Routes.builder()
                .route(GET,    "/health/live",                     Access.NONE,     operations::live)
                .route(GET,    "/health/ready",                    Access.NONE,     operations::ready)
                .route(GET,    "/metrics",                         Access.NONE,     operations::metrics)
                .route(POST,   "/v1/messages",                     Access.BUSINESS, messages::submit)
                .route(GET,    "/v1/messages/{messageId}",         Access.BUSINESS, messages::status)
                .route(POST,   "/v1/consent-requests",             Access.BUSINESS, consents::ask)
                .route(GET,    "/v1/consent-requests/{recipient}", Access.BUSINESS, consents::requests)
                .route(PUT,    "/v1/consents",                     Access.PLATFORM, consents::change)
                .route(GET,    "/v1/consents/{recipient}",         Access.PLATFORM, consents::records)
                .route(GET,    "/v1/consents/{recipient}/events",  Access.PLATFORM, consents::history)
                .route(POST,   "/v1/replies",                      Access.PLATFORM, consents::reply)
                .route(DELETE, "/v1/recipients/{recipient}",       Access.PLATFORM, consents::erase)
                .route(GET,    "/v1/inbox/{recipient}",            Access.PLATFORM, inbox::read)
                .route(POST,   "/v1/inbox/{recipient}/ack",        Access.PLATFORM, inbox::acknowledge)
                .build();
        return new HttpApi(routes, server.directory(), server.lifecycle()::isReady,
                server.guards().authenticationFailures());
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
        String key = bearer(head);
        return switch (found.route().access()) {
            case NONE -> true;
            case BUSINESS -> directory.authenticate(key).isPresent();
            case PLATFORM -> directory.isPlatform(key);
        };
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
                    authenticate(found.route().access(), request, origin));
            CompletableFuture<Reply> reply = found.route().endpoint().handle(call);
            return new Answer(reply, call.wantsProtobuf());
        } catch (HttpError e) {
            return Answer.now(e.reply());
        } catch (RuntimeException bug) {
            // Answered 500 by the handler, which reports it; the connection stays usable.
            return new Answer(CompletableFuture.failedFuture(bug), false);
        }
    }

    /**
     * The business the key stands for on a business route, null on other routes; or the refusal.
     * An address that failed too often is refused before its key is looked at; a key presented
     * and not valid is counted against its address (a missing key is a mistake, not a guess).
     */
    private Business authenticate(Access access, FullHttpRequest request, Origin origin) throws HttpError {
        if (access == Access.NONE) {
            return null;
        }
        Duration blocked = failures.blocked(origin.address(), Listener.HTTP);
        if (!blocked.isZero()) {
            throw HttpError.tooManyFailures(blocked);
        }
        String key = bearer(request);
        switch (access) {
            case BUSINESS:
                Optional<Business> business = directory.authenticate(key);
                if (business.isPresent()) {
                    return business.get();
                }
                throw refused(key, origin, "a valid business API key is required");
            case PLATFORM:
                if (directory.isPlatform(key)) {
                    return null;
                }
                if (directory.authenticate(key).isPresent()) {
                    throw new HttpError(HttpResponseStatus.FORBIDDEN, "FORBIDDEN",
                            "this endpoint takes the platform credential, never a business key");
                }
                throw refused(key, origin, "the platform credential is required");
            default:
                throw new IllegalStateException("unknown access " + access);
        }
    }

    private HttpError refused(String key, Origin origin, String detail) {
        if (!key.isEmpty()) {
            failures.failed(origin.address(), Listener.HTTP);
        }
        return new HttpError(HttpResponseStatus.UNAUTHORIZED, "UNAUTHENTICATED", detail);
    }

    private static String bearer(HttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "";
        }
        return header.substring(7).trim();
    }
}
