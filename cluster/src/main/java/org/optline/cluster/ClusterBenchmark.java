package org.optline.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentChangeFeed;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentSource;
import org.optline.core.recipient.PhoneNumber;
import org.optline.server.Gateway;
import org.optline.server.config.GatewayConfig;
import org.optline.storage.kafka.KafkaSettings;
import org.optline.storage.kafka.KafkaStorageEngine;

/**
 * The figures of docs/benchmarks.md for Kafka: accepted messages per second with 1, 2 or 3 gateway
 * nodes on an in-process 3-broker cluster, and how long an opt-out acknowledged on one node takes
 * to reach the others while they are under that load. Everything runs in this one JVM on this one
 * machine: brokers, nodes and the client share its cores.
 *
 * <pre>{@code scripts/cluster-benchmark.sh [NODES] [SECONDS]}</pre>
 */
public final class ClusterBenchmark {
    private static final String BUSINESS = "bench-bank";
    private static final String KEY = "olk_bench_key";
    private static final String PLATFORM_KEY = "olp_bench_platform_key";
    private static final int RECIPIENTS = 10_000;
    private static final int BATCH = 100;
    /** Requests in flight per node: enough to keep a node's admission and its producer busy. */
    private static final int IN_FLIGHT = 16;
    private static final Pattern REASON = Pattern.compile("\"reason\":\"([A-Z_]+)\"");

    private ClusterBenchmark() {}

    public static void main(String[] args) {
        int status = 0;
        try {
            measure(args);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
        }
        // The nodes' and clients' threads would keep a failed run alive: end it either way.
        System.exit(status);
    }

    private static void measure(String[] args) throws Exception {
        int nodeCount = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path dir = Files.createTempDirectory("optline-cluster-bench");
        try (LocalKafka kafka = LocalKafka.start(3)) {
            List<Gateway> gateways = new ArrayList<>();
            List<KafkaStorageEngine> engines = new ArrayList<>();
            for (int n = 0; n < nodeCount; n++) {
                GatewayConfig config = GatewayConfig.builder()
                        .http("127.0.0.1", 0).tcp("127.0.0.1", 0)
                        .platformCredential(Credential.ofSecret(PLATFORM_KEY))
                        .business(new Business(BUSINESS, List.of(Credential.ofSecret(KEY)), 10_000_000, Tier.UNLIMITED,
                                Quality.GREEN, Map.of()))
                        .storage(GatewayConfig.Storage.KAFKA).dataDir(dir.resolve("node-" + n))
                        .kafka(KafkaSettings.defaults(kafka.bootstrapServers(), dir.resolve("node-" + n).resolve("kafka-node")))
                        .build();
                KafkaStorageEngine engine = KafkaStorageEngine.open(config.kafka(), InstantSource.system(),
                        config.idempotencyWindow(), config.antiSpam());
                engines.add(engine);
                gateways.add(new Gateway(config, InstantSource.system(), engine).start());
            }
            waitForBalance(engines, nodeCount);
            seed(engines.get(0));
            System.out.printf("%d node(s), 3 brokers, %d partitions; %d s warm-up, %d s measured%n", nodeCount,
                    KafkaSettings.DEFAULT_PARTITIONS, 10, seconds);
            run(gateways, 10, new AtomicLong());
            AtomicLong accepted = new AtomicLong();
            List<Long> lags = new ArrayList<>();
            CompletableFuture<Void> lagProbe = CompletableFuture.runAsync(() -> lags.addAll(consentLag(gateways, engines,
                    seconds)));
            long started = System.nanoTime();
            run(gateways, seconds, accepted);
            double elapsed = (System.nanoTime() - started) / 1e9;
            lagProbe.join();
            System.out.printf("accepted: %.0f messages/s (%d in %.1f s, HTTP, %d messages per request, %d requests in"
                    + " flight per node)%n", accepted.get() / elapsed, accepted.get(), elapsed, BATCH, IN_FLIGHT);
            Collections.sort(lags);
            if (nodeCount > 1 && !lags.isEmpty()) {
                System.out.printf("opt-out propagation under that load (acknowledged on one node -> applied on"
                                + " another), %d samples: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", lags.size(),
                        lags.get(lags.size() / 2) / 1000.0, lags.get((int) (lags.size() * 0.99)) / 1000.0,
                        lags.get(lags.size() - 1) / 1000.0);
            }
            gateways.forEach(Gateway::close);
        }
    }

    private static void waitForBalance(List<KafkaStorageEngine> engines, int nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            int owned = engines.stream().mapToInt(e -> e.ownedPartitions().size()).sum();
            boolean each = engines.stream().allMatch(e -> !e.ownedPartitions().isEmpty() && e.nodes() == nodes);
            if (owned == KafkaSettings.DEFAULT_PARTITIONS && each) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the partitions were not shared out within a minute");
    }

    /** Opts every recipient in, straight through one engine (what the benchmark measures is submissions). */
    private static void seed(KafkaStorageEngine engine) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int r = 0; r < RECIPIENTS; r++) {
            writes.add(engine.consents().apply(new ConsentChange(recipient(r), BUSINESS, ConsentAction.OPT_IN,
                    ConsentClass.TRANSACTIONAL, ConsentSource.IMPORT, "", Instant.now())));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    }

    private static PhoneNumber recipient(int r) {
        return PhoneNumber.parse(String.format("+4479112%05d", r)).orElseThrow();
    }

    /** Closed loop: IN_FLIGHT batches per node at all times, for {@code seconds}; counts ACCEPTED answers. */
    private static void run(List<Gateway> gateways, int seconds, AtomicLong accepted) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sequence = new AtomicLong(ThreadLocalCounter.next());
        List<Semaphore> slots = new ArrayList<>();
        for (int n = 0; n < gateways.size(); n++) {
            slots.add(new Semaphore(IN_FLIGHT));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int n = 0;
        while (System.nanoTime() < deadline) {
            int node = n++ % gateways.size();
            if (!slots.get(node).tryAcquire(10, TimeUnit.MILLISECONDS)) {
                continue;
            }
            StringBuilder json = new StringBuilder("{\"messages\":[");
            for (int i = 0; i < BATCH; i++) {
                long k = sequence.incrementAndGet();
                json.append(i == 0 ? "" : ",").append("{\"clientMessageId\":\"b-").append(k)
                        .append("\",\"recipient\":\"").append(recipient((int) (k % RECIPIENTS)).e164())
                        .append("\",\"declaredCategory\":\"TRANSACTIONAL\",\"text\":\"Your balance is ").append(k % 1000)
                        .append(" EUR\"}");
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateways.get(node).httpPort()
                            + "/v1/messages")).header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(json.append("]}").toString())).build();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .whenComplete((answer, failure) -> {
                        slots.get(node).release();
                        if (failure == null && running.get()) {
                            Matcher m = REASON.matcher(answer.body());
                            while (m.find()) {
                                if (m.group(1).equals("ACCEPTED")) {
                                    accepted.incrementAndGet();
                                }
                            }
                        }
                    });
        }
        for (Semaphore slot : slots) {
            slot.acquire(IN_FLIGHT);
        }
        running.set(false);
    }

    /**
     * While the load runs: every 100 ms an opt-out (then an opt-in) of a probe recipient on one node,
     * over HTTP; for every other node, the time from the answer to the moment that node's engine
     * applied the change (its cache drops the entry then). In microseconds.
     */
    private static List<Long> consentLag(List<Gateway> gateways, List<KafkaStorageEngine> engines, int seconds) {
        List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        if (gateways.size() < 2) {
            return lags;
        }
        Map<String, Long>[] applied = newMaps(engines.size());
        for (int n = 0; n < engines.size(); n++) {
            Map<String, Long> mine = applied[n];
            engines.get(n).consentChanges().subscribe(new ConsentChangeFeed.Listener() {
                @Override
                public void changed(ConsentKey key) {
                    if (key.recipient().e164().startsWith("+4479117")) {
                        mine.put(key.recipient().e164(), System.nanoTime());
                    }
                }

                @Override
                public void erased(PhoneNumber recipient) {}
            });
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds - 2);
        int probe = 0;
        while (System.nanoTime() < deadline) {
            int from = probe % gateways.size();
            // A fresh recipient each time: its key's change is the one each node reports.
            PhoneNumber who = PhoneNumber.parse(String.format("+4479117%05d", probe)).orElseThrow();
            String json = "{\"recipient\":\"" + who.e164() + "\",\"businessId\":\"" + BUSINESS
                    + "\",\"action\":\"OPT_OUT\",\"consentClass\":\"TRANSACTIONAL_CLASS\",\"source\":\"APP\"}";
            try {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + gateways.get(from).httpPort() + "/v1/consents")).header("Authorization", "Bearer "
                                + PLATFORM_KEY).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
                long acknowledged = System.nanoTime();
                if (answer.statusCode() == 200) {
                    for (int n = 0; n < engines.size(); n++) {
                        if (n == from) {
                            continue;
                        }
                        Long at = waitFor(applied[n], who.e164(), 5_000);
                        if (at != null) {
                            lags.add(Math.max(0, (at - acknowledged) / 1_000));
                        }
                    }
                }
                Thread.sleep(100);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            probe++;
        }
        return lags;
    }

    private static Long waitFor(Map<String, Long> applied, String key, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            Long at = applied.get(key);
            if (at != null) {
                return at;
            }
            Thread.sleep(1);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long>[] newMaps(int count) {
        Map<String, Long>[] maps = new Map[count];
        for (int i = 0; i < count; i++) {
            maps[i] = new ConcurrentHashMap<>();
        }
        return maps;
    }

    /** Client ids unique across the warm-up and the measured run. */
    private static final class ThreadLocalCounter {
        private static final AtomicLong NEXT = new AtomicLong();

        static long next() {
            return NEXT.addAndGet(100_000_000L);
        }
    }
}
