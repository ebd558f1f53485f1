package org.optline.storage.kafka;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node asks the owner of a partition to do what only the owner can (lease, settle, answer
 * what an append came to): one HTTP POST per request to the owner's peer listener, a small
 * listener of the JDK's own on {@code kafka.peer-port}. Requests are signed with the cluster's
 * secret (an HMAC over a timestamp and the body, so the secret never travels); a request more than
 * {@link #SKEW} old or new is refused. The bodies are not encrypted: the peer port belongs on the
 * nodes' private network (see docs/operations.md).
 */
final class Peers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Peers.class);
    private static final String PATH = "/optline-peer/v1";
    private static final String SIGNATURE = "X-Optline-Peer";
    /** Clocks of the nodes differ by less than this with NTP; a replayed request older than it is refused. */
    static final Duration SKEW = Duration.ofMinutes(5);
    /** Threads answering peers: each waits for at most one record to come back from Kafka. */
    private static final int SERVER_THREADS = 16;

    /** This partition is not the answering node's: look for the owner again. */
    static final int NOT_OWNER = 409;

    private final HttpServer server;
    private final ExecutorService serverThreads;
    private final HttpClient client;
    private final SecretKeySpec key;
    private final Duration timeout;
    private final String address;

    /** Binds the listener; {@code handler} answers each request's body with the response's. */
    Peers(String host, int port, String advertisedHost, byte[] secret, Duration timeout,
          Function<byte[], CompletableFuture<byte[]>> handler) throws IOException {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.timeout = timeout;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        this.serverThreads = Executors.newFixedThreadPool(SERVER_THREADS, named("optline-kafka-peer"));
        server.setExecutor(serverThreads);
        server.createContext(PATH, exchange -> serve(exchange, handler));
        server.start();
        this.address = advertisedHost + ":" + server.getAddress().getPort();
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(2, named("optline-kafka-peer-client")))
                .build();
    }

    /** Where peers reach this node: {@code host:port}. */
    String address() {
        return address;
    }

    private void serve(HttpExchange exchange, Function<byte[], CompletableFuture<byte[]>> handler) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !verified(exchange.getRequestHeaders().getFirst(SIGNATURE), body)) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            byte[] answer;
            try {
                answer = handler.apply(body).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                exchange.sendResponseHeaders(e.getCause() instanceof NotOwnerException ? NOT_OWNER : 503, -1);
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                exchange.sendResponseHeaders(503, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            } catch (RuntimeException e) {
                log.error("a peer request failed: {}", e.toString(), e);
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    /**
     * Sends a request to the peer at {@code address}; completes with its answer, or fails with
     * {@link NotOwnerException}-like {@link PeerRefused} when the peer does not own the partition or
     * could not answer, so that the caller looks again.
     */
    CompletableFuture<byte[]> call(String peer, byte[] body) {
        long now = System.currentTimeMillis();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + peer + PATH))
                .timeout(timeout)
                .header(SIGNATURE, now + ":" + HexFormat.of().formatHex(mac(now, body)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
            if (failure != null) {
                throw new PeerRefused(peer + " did not answer: " + failure);
            }
            if (response.statusCode() != 200) {
                throw new PeerRefused(peer + " answered " + response.statusCode());
            }
            return response.body();
        });
    }

    /** A peer that is not the owner, or not reachable: the caller looks for the owner again. */
    static final class PeerRefused extends RuntimeException {
        PeerRefused(String message) {
            super(message, null, false, false);
        }
    }

    static boolean refused(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof PeerRefused || cause instanceof NotOwnerException;
    }

    private boolean verified(String header, byte[] body) {
        if (header == null) {
            return false;
        }
        int colon = header.indexOf(':');
        try {
            long at = Long.parseLong(header.substring(0, colon));
            if (Math.abs(System.currentTimeMillis() - at) > SKEW.toMillis()) {
                return false;
            }
            byte[] given = HexFormat.of().parseHex(header.substring(colon + 1));
            return MessageDigest.isEqual(given, mac(at, body));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private byte[] mac(long at, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(Long.toString(at).getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) ':');
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        serverThreads.shutdownNow();
    }
}
