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

    private Routes(List<Route> routes) {
        this.routes = List.copyOf(routes);
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

        Routes build() {
            return new Routes(routes);
        }
    }
}
