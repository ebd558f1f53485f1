package org.optline.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Objects;

/**
 * One line of the route table: a method and a path template, the credential it needs, and its
 * endpoint. A streamed route's body is not gathered in memory: it is spooled to disk as it arrives
 * ({@link AudienceUploadHandler}) and the endpoint reads the file.
 */
record Route(HttpMethod method, PathTemplate path, Access access, Endpoint endpoint, boolean streamed) {
    Route(HttpMethod method, PathTemplate path, Access access, Endpoint endpoint) {
        this(method, path, access, endpoint, false);
    }

    Route {
        Objects.requireNonNull(method, "a route needs a method");
        Objects.requireNonNull(path, "a route needs a path");
        Objects.requireNonNull(access, "a route must declare the credential it needs");
        Objects.requireNonNull(endpoint, "a route needs an endpoint");
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
