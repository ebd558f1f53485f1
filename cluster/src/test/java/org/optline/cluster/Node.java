package org.optline.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.server.Gateway;
import org.optline.server.config.GatewayConfig;
import org.optline.storage.kafka.KafkaSettings;
import org.optline.storage.kafka.KafkaStorageEngine;

/**
 * One gateway node of a test cluster, in this JVM, on loopback and free ports, with the test
 * businesses; and the few HTTP calls the cluster tests make to it.
 */
final class Node implements AutoCloseable {
    static final String BANK = "cluster-bank";
    static final String BANK_KEY = "olk_cluster_bank_key";
    /** 30 messages a second for the whole cluster: the throughput test's business. */
    static final String SLOW = "cluster-slow";
    static final String SLOW_KEY = "olk_cluster_slow_key";
    static final int SLOW_THROUGHPUT = 30;
    /**
     * A tier of ten unique recipients a day (the real tiers start at 1 000): the tier test's
     * business, configured YELLOW so that quality never moves it up a tier during the test.
     */
    static final String SMALL = "cluster-small";
    static final int SMALL_TIER = 10;
    static final String SMALL_KEY = "olk_cluster_small_key";
    static final String PLATFORM_KEY = "olp_cluster_platform_key";

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\":\"([^\"]+)\"");

    final Gateway gateway;
    final KafkaStorageEngine engine;
    private final int port;

    private Node(Gateway gateway, KafkaStorageEngine engine) {
        this.gateway = gateway;
        this.engine = engine;
        this.port = gateway.httpPort();
    }

    /** Starts a node on the topics of {@code prefix}, keeping its own files in {@code directory}. */
    static Node start(String bootstrapServers, String prefix, Path directory, InstantSource clock) throws Exception {
        GatewayConfig config = GatewayConfig.builder()
                .http("127.0.0.1", 0)
                .tcp("127.0.0.1", 0)
                .platformCredential(Credential.ofSecret(PLATFORM_KEY))
                .business(new Business(BANK, List.of(Credential.ofSecret(BANK_KEY)), 1_000_000, Tier.UNLIMITED,
                        Quality.GREEN, Map.of()))
                .business(new Business(SLOW, List.of(Credential.ofSecret(SLOW_KEY)), SLOW_THROUGHPUT, Tier.UNLIMITED,
                        Quality.GREEN, Map.of()))
                // YELLOW: a GREEN business that reached half its tier moves up a tier at the next
                // standing tick, which would race the tier test; YELLOW only holds upgrades back.
                .business(new Business(SMALL, List.of(Credential.ofSecret(SMALL_KEY)), 1_000_000, new Tier(SMALL_TIER),
                        Quality.YELLOW, Map.of()))
                .storage(GatewayConfig.Storage.KAFKA)
                .dataDir(directory)
                .kafka(settings(bootstrapServers, prefix, directory))
                .build();
        KafkaStorageEngine engine = KafkaStorageEngine.open(config.kafka(), clock, config.idempotencyWindow(),
                config.antiSpam());
        return new Node(new Gateway(config, clock, engine).start(), engine);
    }

    /** Six partitions for a few nodes; a three-second session, so that a killed node's partitions move soon. */
    static KafkaSettings settings(String bootstrapServers, String prefix, Path directory) {
        return KafkaSettings.defaults(bootstrapServers, directory.resolve("kafka-node")).withTopicPrefix(prefix)
                .withPartitions(6).withSessionTimeout(Duration.ofSeconds(3));
    }

    /** As if the process died: the engine stops without leaving the group, then the listeners close. */
    void kill() {
        engine.halt();
        gateway.close();
    }

    @Override
    public void close() {
        gateway.close();
    }

    // ------------------------------------------------------------------ the HTTP API

    HttpResponse<String> submit(String key, String clientMessageId, String recipient, String category, String text) {
        return send(post("/v1/messages", key, message(clientMessageId, recipient, category, text)));
    }

    CompletableFuture<HttpResponse<String>> submitAsync(String key, String clientMessageId, String recipient,
                                                        String category, String text) {
        return CLIENT.sendAsync(post("/v1/messages", key, message(clientMessageId, recipient, category, text)),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A batch of one-recipient messages (at most 1 000): the reason of each answer, in order. */
    List<String> submitBatch(String key, List<String> clientMessageIds, List<String> recipients, String category,
                             String text) {
        StringBuilder json = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < recipients.size(); i++) {
            json.append(i == 0 ? "" : ",").append(message(clientMessageIds.get(i), recipients.get(i), category, text));
        }
        String body = send(post("/v1/messages", key, json.append("]}").toString())).body();
        List<String> reasons = new ArrayList<>();
        Matcher m = Pattern.compile("\"reason\":\"([A-Z_]+)\"").matcher(body);
        while (m.find()) {
            reasons.add(m.group(1));
        }
        return reasons;
    }

    /** Registers a template through the templates API (the business's own key); answers the response. */
    HttpResponse<String> registerTemplate(String key, String name, String category, String text) {
        return send(post("/v1/templates", key,
                "{\"name\":\"" + name + "\",\"category\":\"" + category + "\",\"text\":\"" + text + "\"}"));
    }

    /** Deletes a template through the templates API; answers the response. */
    HttpResponse<String> deleteTemplate(String key, String name) {
        return send(HttpRequest.newBuilder(uri("/v1/templates/" + name)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).DELETE().build());
    }

    /** Submits one message made from a template with its parameters; answers the response. */
    HttpResponse<String> submitTemplate(String key, String clientMessageId, String recipient, String category,
                                        String template, String parameter) {
        return send(post("/v1/messages", key, "{\"clientMessageId\":\"" + clientMessageId + "\",\"recipient\":\""
                + recipient + "\",\"declaredCategory\":\"" + category + "\",\"template\":{\"name\":\"" + template
                + "\",\"parameters\":[\"" + parameter + "\"]}}"));
    }

    /** One recipient's feedback on one message (POST /v1/feedback); answers its outcome. */
    String feedback(String messageId, String recipient, String kind) {
        HttpResponse<String> answer = send(post("/v1/feedback", PLATFORM_KEY, "{\"feedback\":[{\"messageId\":\""
                + messageId + "\",\"recipient\":\"" + recipient + "\",\"kind\":\"" + kind + "\"}]}"));
        Matcher outcome = Pattern.compile("\"outcome\":\"([A-Z_]+)\"").matcher(answer.body());
        if (answer.statusCode() != 200 || !outcome.find()) {
            throw new AssertionError("feedback refused: " + answer.statusCode() + " " + answer.body());
        }
        return outcome.group(1);
    }

    /** An operator lifts the business's marketing pause through this node; answers the response. */
    HttpResponse<String> liftPause(String businessId) {
        return send(post("/v1/operations/businesses/" + businessId + "/lift-pause", PLATFORM_KEY, ""));
    }

    /** Records a consent change; fails the test unless it was acknowledged. */
    void consent(String recipient, String businessId, String action, String consentClass) {
        String json = "{\"recipient\":\"" + recipient + "\",\"businessId\":\"" + businessId + "\",\"action\":\""
                + action + "\",\"consentClass\":\"" + consentClass + "\",\"source\":\"APP\"}";
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/v1/consents")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + PLATFORM_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
        if (answer.statusCode() != 200) {
            throw new AssertionError("consent change refused: " + answer.statusCode() + " " + answer.body());
        }
    }

    /** Pulls up to {@code max} of the recipient's messages under a lease; their ids, in hand-out order. */
    List<String> pull(String recipient, int max) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(
                        uri("/v1/inbox/" + encoded(recipient) + "?max=" + max + "&leaseSeconds=600"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + PLATFORM_KEY).GET().build());
        if (answer.statusCode() != 200) {
            throw new AssertionError("pull refused: " + answer.statusCode() + " " + answer.body());
        }
        return messageIds(answer.body());
    }

    /** A long-poll: waits up to {@code waitSeconds} for the recipient's messages; answers their ids. */
    CompletableFuture<List<String>> poll(String recipient, int waitSeconds) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(uri("/v1/inbox/" + encoded(recipient) + "?max=10&leaseSeconds=600"
                                + "&waitSeconds=" + waitSeconds)).timeout(Duration.ofSeconds(waitSeconds + 30))
                        .header("Authorization", "Bearer " + PLATFORM_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).thenApply(answer -> messageIds(answer.body()));
    }

    /** Long-polls and push subscriptions waiting on this node. */
    int waiting() {
        return gateway.context().inbox().waitingCount();
    }

    /** Acknowledges messages of the recipient (DELIVERED); answers how many left the queue. */
    int ack(String recipient, List<String> messageIds) {
        StringBuilder ids = new StringBuilder();
        for (String id : messageIds) {
            ids.append(ids.length() == 0 ? "" : ",").append('"').append(id).append('"');
        }
        HttpResponse<String> answer = send(post("/v1/inbox/" + encoded(recipient) + "/ack", PLATFORM_KEY,
                "{\"messageIds\":[" + ids + "]}"));
        if (answer.statusCode() != 200) {
            throw new AssertionError("ack refused: " + answer.statusCode() + " " + answer.body());
        }
        Matcher removed = Pattern.compile("\"removed\":(\\d+)").matcher(answer.body());
        return removed.find() ? Integer.parseInt(removed.group(1)) : 0;
    }

    static List<String> messageIds(String body) {
        List<String> ids = new ArrayList<>();
        Matcher m = MESSAGE_ID.matcher(body);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    static String reason(String body) {
        Matcher m = Pattern.compile("\"reason\":\"([A-Z_]+)\"").matcher(body);
        return m.find() ? m.group(1) : "";
    }

    static boolean duplicate(String body) {
        return body.contains("\"duplicate\":true");
    }

    private static String message(String clientMessageId, String recipient, String category, String text) {
        return "{\"clientMessageId\":\"" + clientMessageId + "\",\"recipient\":\"" + recipient
                + "\",\"declaredCategory\":\"" + category + "\",\"text\":\"" + text + "\"}";
    }

    private HttpRequest post(String path, String key, String json) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String encoded(String recipient) {
        return URLEncoder.encode(recipient, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> send(HttpRequest request) {
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
