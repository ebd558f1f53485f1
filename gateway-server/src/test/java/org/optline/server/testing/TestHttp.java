package org.optline.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for end-to-end tests: JSON or protobuf bodies, bearer keys. */
public final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final int port;

    TestHttp(int port) {
        this.port = port;
    }

    /** A client of the gateway listening on this loopback port, for tests that start their own gateway. */
    public static TestHttp on(int port) {
        return new TestHttp(port);
    }

    public HttpResponse<String> get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    public HttpResponse<String> postJson(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> putJson(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<byte[]> postProtobuf(String path, String key, byte[] body) {
        try {
            return CLIENT.send(request(path, key).header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The same as {@link #get} without waiting: for a long-poll. */
    public CompletableFuture<HttpResponse<String>> getAsync(String path, String key) {
        return CLIENT.sendAsync(request(path, key).timeout(Duration.ofSeconds(40)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The same as {@link #postJson} without waiting: for tests that hold the answer back on purpose. */
    public CompletableFuture<HttpResponse<String>> postJsonAsync(String path, String key, String json) {
        return CLIENT.sendAsync(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * A request to this server with the bearer key set (null for none), for the requests the
     * helpers above do not cover: other methods, content types or headers. Send it with {@link #send}.
     */
    public HttpRequest.Builder newRequest(String path, String key) {
        return request(path, key);
    }

    /** Records a consent change through the platform API and checks it was acknowledged. */
    public void consent(String recipient, String businessId, String action, String consentClass) {
        String json = "{\"recipient\":\"" + recipient + "\",\"businessId\":\"" + businessId + "\",\"action\":\""
                + action + "\"" + (consentClass == null ? "" : ",\"consentClass\":\"" + consentClass + "\"")
                + ",\"source\":\"APP\"}";
        HttpResponse<String> response = putJson("/v1/consents", TestBusinesses.PLATFORM_KEY, json);
        if (response.statusCode() != 200) {
            throw new AssertionError("consent change refused: " + response.statusCode() + " " + response.body());
        }
    }

    public void optIn(String recipient, String businessId, String consentClass) {
        consent(recipient, businessId, "OPT_IN", consentClass);
    }

    /** A one-message JSON submission. */
    public static String message(String clientMessageId, String recipient, String category, String text) {
        return "{\"clientMessageId\":\"" + clientMessageId + "\",\"recipient\":\"" + recipient
                + "\",\"declaredCategory\":\"" + category + "\",\"text\":\"" + text + "\"}";
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    /** Sends any request and reads the answer as text. */
    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
