package org.optline.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Objects;
import org.optline.core.business.PlatformScope;

/**
 * One line of the route table: a method and a path template, the credential it needs (and for
 * the platform credential, the scope a key must hold), and its endpoint. A streamed route's body
 * is not gathered in memory: it is spooled to disk as it arrives ({@link AudienceUploadHandler})
 * and the endpoint reads the file.
 */
record Route(HttpMethod method, PathTemplate path, Access access, PlatformScope scope, Endpoint endpoint,
             boolean streamed) {
    Route(HttpMethod method, PathTemplate path, Access access, PlatformScope scope, Endpoint endpoint) {
        this(method, path, access, scope, endpoint, false);
    }

    Route {
        Objects.requireNonNull(method, "a route needs a method");
        Objects.requireNonNull(path, "a route needs a path");
        Objects.requireNonNull(access, "a route must declare the credential it needs");
        Objects.requireNonNull(endpoint, "a route needs an endpoint");
        if ((access == Access.PLATFORM) != (scope != null)) {
            throw new IllegalArgumentException("a platform route, and only a platform route, names the scope a key"
                    + " needs: " + method + " " + path);
        }
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
