package org.optline.cluster;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits transactional messages to the recipients, round robin over the nodes that are up, from a
 * few threads, until {@code total} were accepted (or {@code attempts} were made): what every
 * failure test runs while it kills something. It remembers exactly what was answered ACCEPTED.
 */
final class Load {
    private final List<Node> up;
    private final List<String> recipients;
    private final int total;
    private final int attempts;
    private final String tag;
    private final Map<String, String> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger tried = new AtomicInteger();
    /** Submissions that got no answer (the node died under them): their messages may or may not be queued. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    Load(List<Node> nodes, List<String> recipients, int total, String tag) {
        this.up = new CopyOnWriteArrayList<>(nodes);
        this.recipients = recipients;
        this.total = total;
        this.attempts = total * 4;
        this.tag = tag;
    }

    Load start(int threadCount) {
        for (int t = 0; t < threadCount; t++) {
            Thread thread = new Thread(this::run, "load-" + t);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** Sends nothing more to this node. */
    void down(Node node) {
        up.remove(node);
    }

    private void run() {
        while (accepted.size() < total) {
            int k = tried.getAndIncrement();
            if (k >= attempts) {
                return;
            }
            List<Node> now = up;
            Node node = now.get(k % now.size());
            String to = recipients.get(k % recipients.size());
            try {
                HttpResponse<String> answer = node.submit(Node.BANK_KEY, tag + "-" + k, to, "TRANSACTIONAL",
                        "Your balance is " + k + " EUR");
                if (Node.reason(answer.body()).equals("ACCEPTED")) {
                    accepted.put(Node.messageIds(answer.body()).get(0), to);
                } else {
                    refused.incrementAndGet();
                }
            } catch (RuntimeException e) {
                unanswered.incrementAndGet();
            }
        }
    }

    int acceptedCount() {
        return accepted.size();
    }

    /** Waits for the threads to finish. */
    Load await() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(120_000);
        }
        return this;
    }

    /** Message id → recipient of every message answered ACCEPTED. */
    Map<String, String> accepted() {
        return Map.copyOf(accepted);
    }

    int unanswered() {
        return unanswered.get();
    }

    int refused() {
        return refused.get();
    }

    /** Reads every recipient's queue to the end through these nodes, acknowledging: message id → times read. */
    static Map<String, Integer> readAll(List<Node> through, List<String> recipients) {
        Map<String, Integer> reads = new ConcurrentHashMap<>();
        for (int r = 0; r < recipients.size(); r++) {
            String to = recipients.get(r);
            for (int page = 0; page < 100; page++) {
                List<String> got = through.get(r % through.size()).pull(to, 200);
                if (got.isEmpty()) {
                    break;
                }
                got.forEach(id -> reads.merge(id, 1, Integer::sum));
                through.get((r + 1) % through.size()).ack(to, got);
            }
        }
        return reads;
    }
}
