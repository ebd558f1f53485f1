package org.optline.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optline.core.business.PlatformScope;

/**
 * The route table: method and path template to endpoint, the first match in declaration order
 * winning, with the credential each route needs (and the scope, for the platform's keys)
 * declared next to it. Several methods may share
 * a path; a path that matches with another method is a 405 that lists the methods it takes.
 */
final class Routes {
    private final List<Route> routes;
    /** The streamed routes alone: every request head is checked against them, so the list is short. */
    private final List<Route> streamed;

    private Routes(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.streamed = this.routes.stream().filter(Route::streamed).toList();
    }

    static Builder builder() {
        return new Builder();
    }

    List<Route> all() {
        return routes;
    }

    /** What a request's method and raw path find in the table. */
    sealed interface Match {
        record Found(Route route, Map<String, String> parameters) implements Match {}

        record WrongMethod(Set<HttpMethod> allowed, boolean open) implements Match {}

        record NotFound() implements Match {}
    }

    Match match(HttpMethod method, String rawPath) {
        Set<HttpMethod> allowed = null;
        boolean open = false;
        List<String> parts = PathTemplate.split(rawPath);
        for (Route route : routes) {
            Map<String, String> parameters = route.path().match(parts);
            if (parameters == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match.Found(route, parameters);
            }
            if (allowed == null) {
                allowed = new LinkedHashSet<>();
            }
            allowed.add(route.method());
            open |= route.access() == Access.NONE;
        }
        return allowed == null ? new Match.NotFound() : new Match.WrongMethod(allowed, open);
    }

    /** True when the request goes to a streamed route: its body is spooled to disk, never gathered in memory. */
    boolean isStreamed(HttpMethod method, String rawPath) {
        if (streamed.isEmpty()) {
            return false;
        }
        List<String> parts = PathTemplate.split(rawPath);
        for (Route route : streamed) {
            if (route.method().equals(method) && route.path().match(parts) != null) {
                // The first route that matches wins, as in match(): only if no earlier one does.
                return match(method, rawPath) instanceof Match.Found found && found.route().streamed();
            }
        }
        return false;
    }

    /** Collects the routes; every route states its method, path, credential and endpoint. */
    static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        /** An open route or a business route. */
        Builder route(HttpMethod method, String path, Access access, Endpoint endpoint) {
            routes.add(new Route(method, new PathTemplate(path), access, null, endpoint));
            return this;
        }

        /** A platform route, with the scope a platform key needs for it. */
        Builder route(HttpMethod method, String path, Access access, PlatformScope scope, Endpoint endpoint) {
            routes.add(new Route(method, new PathTemplate(path), access, scope, endpoint));
            return this;
        }

        /** A route whose body is spooled to disk as it arrives, for uploads larger than a request body may be. */
        Builder streamed(HttpMethod method, String path, Access access, Endpoint endpoint) {
            routes.add(new Route(method, new PathTemplate(path), access, null, endpoint, true));
            return this;
        }

        Routes build() {
            return new Routes(routes);
        }
    }
}
