package org.optline.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The marketer's web console: a few static files in the jar ({@code console/} on the class path),
 * read once at start and served on the HTTP listener with no credential. The page itself calls the
 * campaign API with the business key the marketer enters; nothing here knows a key. The policy
 * headers keep the page to its own scripts and this origin.
 */
final class ConsoleEndpoints {
    /** Every file the console has, with its type: a name not in this list is 404, never a file lookup. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self';"
            + " script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final Map<String, String> contents;

    ConsoleEndpoints() {
        this.contents = Map.copyOf(FILES.keySet().stream().collect(java.util.stream.Collectors.toMap(
                name -> name, ConsoleEndpoints::load)));
    }

    private static String load(String name) {
        try (InputStream in = ConsoleEndpoints.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the console file " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /console}: the page. */
    CompletableFuture<Reply> index(HttpCall call) {
        return serve("index.html");
    }

    /** {@code GET /console/{file}}: one of the page's files. */
    CompletableFuture<Reply> file(HttpCall call) {
        return serve(call.rawParameter("file"));
    }

    private CompletableFuture<Reply> serve(String name) {
        String content = contents.get(name);
        if (content == null) {
            return CompletableFuture.completedFuture(
                    Reply.error(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no such console file"));
        }
        return CompletableFuture.completedFuture(Reply.text(HttpResponseStatus.OK, FILES.get(name), () -> content)
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", POLICY)
                .header("Referrer-Policy", "no-referrer"));
    }
}
