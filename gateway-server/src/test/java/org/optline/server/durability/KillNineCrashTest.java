package org.optline.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Credential;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.storage.rocksdb.RocksDeliveryQueues;
import org.optline.storage.rocksdb.RocksStorage;
import org.optline.core.storage.StorageException;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.server.Gateway;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestHttp;

/**
 * SPEC section 4, "acknowledged means durable", the hard way: a gateway runs as a child
 * process on a temporary data directory under pipelined TCP load, and is killed with SIGKILL at
 * a random moment, several times over on the same directory. After each restart every message
 * that was sent and not answered is sent again (same client_message_id, same content) and must
 * be ACCEPTED, as a duplicate or not. At the end the store is opened directly and every message
 * ever answered ACCEPTED must be in its recipient's queue exactly once, and no message twice.
 *
 * <p>The kill moments come from a seeded random; the seed is printed, and
 * {@code -Doptline.crash.seed=N} replays the same kill points (the interleaving with the child's
 * threads still varies from run to run).
 */
class KillNineCrashTest {
    private static final String BUSINESS = "crash-test";
    private static final String BUSINESS_KEY = "olk_crash_test_key";
    /** TestHttp's consent helpers present this key. */
    private static final String PLATFORM_KEY = TestBusinesses.PLATFORM_KEY;
    private static final int KILL_CYCLES = 5;
    private static final int RECIPIENTS = 50;
    private static final int MESSAGES_PER_REQUEST = 20;
    private static final int REQUESTS_IN_FLIGHT = 32;
    private static final int MIN_ANSWERS_BEFORE_KILL = 100;
    private static final int MAX_ANSWERS_BEFORE_KILL = 6_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    private GatewayProcess child;

    /** Everything ever sent, by client_message_id, with its latest answer. */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    /** Every message id answered ACCEPTED, with the client_message_id it was answered for. */
    private final Map<String, String> acceptedIds = new ConcurrentHashMap<>();
    /** Answers that no run may give: a refusal other than OVERLOADED, or a second message id for one key. */
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());

    private static final class Sent {
        final Message message;
        final int cycle;
        volatile MessageResult answer;
        volatile boolean resent;

        Sent(Message message, int cycle) {
            this.message = message;
            this.cycle = cycle;
        }
    }

    @AfterEach
    void killTheChild() {
        if (child != null) {
            child.close();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void kill9AtRandomMomentsLosesNoAcceptedMessageAndQueuesNoneTwice() throws Exception {
        long seed = Long.getLong("optline.crash.seed", System.nanoTime());
        System.out.println("KillNineCrashTest seed=" + seed + " (replay with -Doptline.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        long testStarted = System.nanoTime();
        Path dataDir = temp.resolve("data");
        Path config = writeConfig(dataDir);

        child = GatewayProcess.start(config, START_TIMEOUT);
        List<String> recipients = new ArrayList<>();
        TestHttp http = TestHttp.on(child.httpPort());
        for (int i = 0; i < RECIPIENTS; i++) {
            String recipient = Recipients.next();
            http.optIn(recipient, BUSINESS, "TRANSACTIONAL_CLASS");
            recipients.add(recipient);
        }

        // While the child holds the store, another process (this one) cannot open it.
        assertThatThrownBy(() -> RocksStorage.open(dataDir.resolve(Gateway.STORE_DIRECTORY),
                org.optline.server.config.GatewayConfig.defaultKeysDir(dataDir)).close())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("in use");

        for (int cycle = 1; cycle <= KILL_CYCLES; cycle++) {
            int killAfter = MIN_ANSWERS_BEFORE_KILL + random.nextInt(MAX_ANSWERS_BEFORE_KILL - MIN_ANSWERS_BEFORE_KILL + 1);
            CycleLoad load = loadAndKill(cycle, recipients, killAfter);

            long restartStarted = System.nanoTime();
            child = GatewayProcess.start(config, START_TIMEOUT);
            long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartStarted);
            Resent resent = resendUnanswered();
            System.out.printf("cycle %d/%d: killed pid %d after about %d answered messages: sent=%d answered=%d accepted=%d"
                            + " unanswered=%d; restarted in %d ms; resent=%d accepted=%d (duplicate=%d, new=%d)%n",
                    cycle, KILL_CYCLES, load.pid, killAfter, load.sent, load.answered, load.accepted,
                    load.sent - load.answered, restartMillis, resent.count, resent.accepted, resent.duplicates,
                    resent.accepted - resent.duplicates);
        }
        child.kill();
        child = null;

        Totals totals = verifyQueues(dataDir.resolve(Gateway.STORE_DIRECTORY), recipients);
        System.out.printf("accepted=%d found=%d lost=%d duplicated=%d (messages sent=%d, queued=%d, resent=%d;"
                        + " %d kill cycles in %d ms)%n",
                totals.accepted, totals.found, totals.lost, totals.duplicated, sent.size(), totals.queued,
                sent.values().stream().filter(s -> s.resent).count(), KILL_CYCLES,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - testStarted));
        totals.problems.stream().limit(20).forEach(p -> System.out.println("  " + p));

        assertThat(violations).as("answers that must never be given (seed %d)", seed).isEmpty();
        assertThat(totals.problems).as("lost or duplicated messages (seed %d)", seed).isEmpty();
        assertThat(totals.lost).isZero();
        assertThat(totals.duplicated).isZero();
        assertThat(totals.accepted).isPositive();
        assertThat(totals.queued).as("every message sent ends up queued exactly once").isEqualTo(sent.size());
    }

    private Path writeConfig(Path dataDir) throws IOException {
        String properties = String.join("\n",
                "storage=rocksdb",
                "data.dir=" + dataDir.toString().replace("\\", "\\\\"),
                "http.port=0",
                "tcp.port=0",
                "demo.enabled=false",
                "platform.key-sha256=" + Credential.sha256Hex(PLATFORM_KEY),
                "business." + BUSINESS + ".key-sha256=" + Credential.sha256Hex(BUSINESS_KEY),
                "business." + BUSINESS + ".throughput=1000000",
                "business." + BUSINESS + ".tier=unlimited",
                // The resend pipelines every unanswered message into a cold child at once and needs
                // each one ACCEPTED: its queues may wait as long as that takes on a busy build
                // machine. How the bounds answer OVERLOADED is AdmissionPipelineTest's and RoutingStageTest's.
                "admission.max-wait=1m",
                "admission.max-append-wait=1m",
                "");
        Path file = temp.resolve("optline.properties");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
        return file;
    }

    private record CycleLoad(long pid, int sent, int answered, int accepted) {}

    /**
     * Drives pipelined load from a writer thread while the reader takes the answers, then kills
     * the child once about {@code killAfterAnswers} messages are answered and waits for both threads to stop.
     */
    private CycleLoad loadAndKill(int cycle, List<String> recipients, int killAfterAnswers) throws Exception {
        AtomicInteger sentCount = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        PipelinedClient client = PipelinedClient.connect(child.tcpPort(), BUSINESS_KEY, REQUESTS_IN_FLIGHT,
                result -> {
                    answered.incrementAndGet();
                    if (record(result)) {
                        accepted.incrementAndGet();
                    }
                });
        Thread writer = new Thread(() -> {
            int request = 0;
            int next = 0;
            try {
                while (!stop.get()) {
                    client.awaitSlot();
                    List<Message> messages = new ArrayList<>(MESSAGES_PER_REQUEST);
                    for (int i = 0; i < MESSAGES_PER_REQUEST; i++) {
                        String clientId = "k" + cycle + "-" + request + "-" + i;
                        Message message = alert(clientId, recipients.get(next++ % recipients.size()));
                        messages.add(message);
                        // Recorded before the write: a message half-written when the child dies counts as sent.
                        sent.put(clientId, new Sent(message, cycle));
                    }
                    sentCount.addAndGet(messages.size());
                    request++;
                    client.send(messages);
                }
            } catch (IOException e) {
                // The child died under us: that is the point.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "crash-load-writer-" + cycle);
        long pid = child.pid();
        writer.start();
        try {
            // The kill lands at a random point of the child's progress: after a random number of
            // answered messages, with requests still in flight behind them.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (answered.get() < killAfterAnswers && writer.isAlive() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            child.kill();
        } finally {
            stop.set(true);
            assertThat(client.awaitEnded(Duration.ofSeconds(10)))
                    .as("the reader sees the killed child's connection end").isTrue();
            writer.join(10_000);
            assertThat(writer.isAlive()).as("the load writer stopped").isFalse();
            client.close();
        }
        return new CycleLoad(pid, sentCount.get(), answered.get(), accepted.get());
    }

    private static Message alert(String clientMessageId, String recipient) {
        return Message.newBuilder()
                .setClientMessageId(clientMessageId)
                .setRecipient(recipient)
                .setDeclaredCategory(Category.TRANSACTIONAL)
                .setText("Your balance is 120.50 EUR after payment " + clientMessageId + ".")
                .build();
    }

    /** Keeps a message's answer; true when it is ACCEPTED. Notes any answer no run may give. */
    private boolean record(MessageResult result) {
        Sent message = sent.get(result.getClientMessageId());
        if (message == null) {
            violations.add("an answer for a client_message_id never sent: " + result);
            return false;
        }
        MessageResult earlier = message.answer;
        message.answer = result;
        if (result.getReason() == Reason.OVERLOADED) {
            return false;
        }
        if (result.getReason() != Reason.ACCEPTED) {
            violations.add(result.getClientMessageId() + " (cycle " + message.cycle + (message.resent ? ", resent" : "")
                    + ") was refused: " + result.getReason() + " " + result.getDetail());
            return false;
        }
        String other = acceptedIds.putIfAbsent(result.getMessageId(), result.getClientMessageId());
        if (other != null && !other.equals(result.getClientMessageId())) {
            violations.add("message id " + result.getMessageId() + " answered for both " + other + " and "
                    + result.getClientMessageId());
        }
        if (earlier != null && earlier.getReason() == Reason.ACCEPTED
                && !earlier.getMessageId().equals(result.getMessageId())) {
            violations.add(result.getClientMessageId() + " ACCEPTED twice with different message ids: "
                    + earlier.getMessageId() + " and " + result.getMessageId());
        }
        return true;
    }

    private record Resent(int count, int accepted, int duplicates) {}

    /**
     * Sends again, on the restarted child, every message that has no answer (or was told to retry
     * later): same client_message_id, same content. Each one must come back ACCEPTED.
     */
    private Resent resendUnanswered() throws Exception {
        List<Sent> unanswered = new ArrayList<>();
        for (Sent s : sent.values()) {
            MessageResult answer = s.answer;
            if (answer == null || answer.getReason() == Reason.OVERLOADED) {
                s.answer = null;
                s.resent = true;
                unanswered.add(s);
            }
        }
        AtomicInteger duplicates = new AtomicInteger();
        try (PipelinedClient client = PipelinedClient.connect(child.tcpPort(), BUSINESS_KEY, REQUESTS_IN_FLIGHT,
                result -> {
                    record(result);
                    if (result.getDuplicate()) {
                        duplicates.incrementAndGet();
                    }
                })) {
            for (int from = 0; from < unanswered.size(); from += 100) {
                List<Message> batch = unanswered.subList(from, Math.min(from + 100, unanswered.size())).stream()
                        .map(s -> s.message).toList();
                client.submit(batch);
            }
            assertThat(client.awaitAllAnswered(ANSWER_TIMEOUT))
                    .as("every resent message is answered (connection: %s); child output:%n%s",
                            client.endedBecause(), child.output())
                    .isTrue();
        }
        int accepted = 0;
        for (Sent s : unanswered) {
            MessageResult answer = s.answer;
            if (answer != null && answer.getReason() == Reason.ACCEPTED) {
                accepted++;
            } else {
                violations.add("resent " + s.message.getClientMessageId() + " (cycle " + s.cycle + ") was answered "
                        + (answer == null ? "nothing" : answer.getReason() + " " + answer.getDetail()));
            }
        }
        return new Resent(unanswered.size(), accepted, duplicates.get());
    }

    private static final class Totals {
        int accepted;
        int found;
        int lost;
        int duplicated;
        int queued;
        final List<String> problems = new ArrayList<>();
    }

    /** Opens the store the children left behind and compares the queues with the answers given. */
    private Totals verifyQueues(Path storeDirectory, List<String> recipients) {
        Map<String, Integer> byMessageId = new HashMap<>();
        Map<String, List<String>> byClientId = new LinkedHashMap<>();
        Totals totals = new Totals();
        try (RocksStorage storage = RocksStorage.open(storeDirectory,
                org.optline.server.config.GatewayConfig.defaultKeysDir(storeDirectory.getParent()))) {
            RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
            for (String recipient : recipients) {
                for (QueuedMessage m : queues.peek(PhoneNumber.parse(recipient).orElseThrow(), Integer.MAX_VALUE).join()) {
                    totals.queued++;
                    byMessageId.merge(m.messageId(), 1, Integer::sum);
                    byClientId.computeIfAbsent(m.clientMessageId(), k -> new ArrayList<>()).add(m.messageId());
                    Sent s = sent.get(m.clientMessageId());
                    if (s == null) {
                        totals.problems.add("queued message " + m.messageId() + " has a client_message_id never sent: "
                                + m.clientMessageId());
                    } else if (!s.message.getRecipient().equals(m.recipient().e164())
                            || !s.message.getText().equals(m.text())) {
                        totals.problems.add("queued " + m.clientMessageId() + " differs from what was sent");
                    }
                }
            }
        }
        totals.accepted = acceptedIds.size();
        for (Map.Entry<String, String> accepted : acceptedIds.entrySet()) {
            int copies = byMessageId.getOrDefault(accepted.getKey(), 0);
            if (copies == 0) {
                totals.lost++;
                totals.problems.add("LOST: " + accepted.getValue() + " answered ACCEPTED as " + accepted.getKey()
                        + " (cycle " + sent.get(accepted.getValue()).cycle + ") is not queued");
            } else {
                totals.found++;
            }
        }
        // A copy too many is a queue entry beyond the first for its client_message_id.
        totals.duplicated = totals.queued - byClientId.size();
        for (Map.Entry<String, List<String>> key : byClientId.entrySet()) {
            if (key.getValue().size() > 1) {
                totals.problems.add("DUPLICATED: " + key.getKey() + " queued " + key.getValue().size()
                        + " times, as " + key.getValue());
            }
        }
        for (Map.Entry<String, Integer> id : byMessageId.entrySet()) {
            if (id.getValue() > 1) {
                totals.problems.add("DUPLICATED: message id " + id.getKey() + " queued " + id.getValue() + " times");
            }
        }
        for (Sent s : sent.values()) {
            String clientId = s.message.getClientMessageId();
            boolean answeredAccepted = s.answer != null && s.answer.getReason() == Reason.ACCEPTED;
            // An ACCEPTED resend is checked by its message id above; this catches one never accepted.
            if (s.resent && !answeredAccepted && !byClientId.containsKey(clientId)) {
                totals.lost++;
                totals.problems.add("LOST: resent " + clientId + " (cycle " + s.cycle + ") is not queued");
            }
        }
        return totals;
    }
}
