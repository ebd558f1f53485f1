package org.optline.server.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.optline.proto.v1.WebhookEvent;
import org.optline.proto.v1.WebhookEventBatch;

/**
 * A business's webhook receiver for end-to-end tests: a real HTTP server on loopback (the JDK's,
 * nothing of the gateway's) that records every request with its raw body, and answers as the test
 * says per path: 200, an error status, slowly, or not until released. It verifies signatures with
 * its own implementation of the documented scheme, not the gateway's code.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** How the receiver answers. */
    public enum Behaviour { OK, FAIL, SLOW, HOLD }

    /** One request as it arrived. */
    public record Request(String path, String signature, String contentType, byte[] body, long receivedAt) {
        public List<WebhookEvent> events() {
            WebhookEventBatch.Builder batch = WebhookEventBatch.newBuilder();
            try {
                JsonFormat.parser().merge(new String(body, StandardCharsets.UTF_8), batch);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("not a WebhookEventBatch: " + new String(body, StandardCharsets.UTF_8), e);
            }
            return batch.getEventsList();
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Per path answering HOLD: let go when the path is told to answer otherwise. */
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final long slowMillis;
    private final InstantSource clock;

    private WebhookReceiver(HttpServer server, long slowMillis, InstantSource clock) {
        this.server = server;
        this.slowMillis = slowMillis;
        this.clock = clock;
    }

    /**
     * Starts a receiver on a free loopback port; a SLOW answer takes {@code slowMillis}; requests are
     * stamped with {@code clock} (the gateway's, so that the replay window is checked against it).
     */
    public static WebhookReceiver start(long slowMillis, InstantSource clock) {
        return start(0, slowMillis, clock);
    }

    /** Starts a receiver on the given loopback port (0: any free one). */
    public static WebhookReceiver start(int port, long slowMillis, InstantSource clock) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            WebhookReceiver receiver = new WebhookReceiver(server, slowMillis, clock);
            server.createContext("/", receiver::handle);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public void answer(String path, Behaviour behaviour) {
        if (behaviour == Behaviour.HOLD) {
            held.put(path, new CountDownLatch(1));
        } else {
            CountDownLatch latch = held.remove(path);
            if (latch != null) {
                latch.countDown();
            }
        }
        behaviours.put(path, behaviour);
    }

    /** Lets every held request answer (200). */
    public void release() {
        held.values().forEach(CountDownLatch::countDown);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Requests to the path that were answered 200. */
    public List<Request> delivered(String path) {
        return requests.stream().filter(r -> r.path().equals(path + "#ok")).toList();
    }

    /** Every event delivered (answered 200) to the path, in arrival order. */
    public List<WebhookEvent> deliveredEvents(String path) {
        List<WebhookEvent> events = new ArrayList<>();
        delivered(path).forEach(request -> events.addAll(request.events()));
        return events;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getPath();
        Request request = new Request(path, exchange.getRequestHeaders().getFirst("Optline-Signature"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body, clock.instant().getEpochSecond());
        requests.add(request);
        Behaviour behaviour = behaviours.getOrDefault(path, Behaviour.OK);
        try {
            if (behaviour == Behaviour.SLOW) {
                Thread.sleep(slowMillis);
            } else if (behaviour == Behaviour.HOLD) {
                CountDownLatch latch = held.get(path);
                if (latch != null) {
                    latch.await(30, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int status = behaviour == Behaviour.FAIL ? 503 : 200;
        if (status == 200 && behaviour != Behaviour.SLOW) {
            requests.add(new Request(path + "#ok", request.signature(), request.contentType(), body,
                    request.receivedAt()));
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /**
     * The documented verification, written from the documentation: parse {@code t=…,v1=…[,v1=…]},
     * refuse a timestamp more than {@code toleranceSeconds} from {@code nowSeconds}, and accept when
     * any v1 equals the hex HMAC-SHA256 of {@code t + "." + body} keyed with the secret's UTF-8 bytes,
     * compared in constant time.
     */
    public static boolean verify(String header, byte[] body, String secret, long nowSeconds, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        long timestamp = -1;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                return false;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                timestamp = Long.parseLong(value);
            } else if (key.equals("v1")) {
                signatures.add(value);
            }
        }
        if (timestamp < 0 || Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            byte[] expected = mac.doFinal(body);
            for (String signature : signatures) {
                if (MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
