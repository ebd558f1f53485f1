package org.optline.loadtest;

import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;

/**
 * The recipients' side of a run: a sample of the seeded recipients ("watched" ones, every
 * {@code every}-th) have their inboxes read while the load runs, and each message of this run
 * read there counts its submit-to-read latency, from the intended send time of its request to
 * the moment the inbox returned it. The senders' lanes report what was accepted for watched
 * recipients; {@link InboxLane}s read and acknowledge.
 *
 * <p>A message can come out of an inbox before its sender has heard it was accepted, so each
 * message id is matched from whichever side sees it first, atomically in one map.
 */
final class InboxReader {
    /** Bounds the memory of messages accepted and not read yet; beyond it they are counted, not tracked. */
    static final int MAX_AWAITED = 1_000_000;
    /**
     * Messages read and not (yet) known: a sender hears of an acceptance within milliseconds, so
     * past this many the rest is earlier runs' traffic, and those entries are dropped.
     */
    static final int MAX_READ_EARLY = 100_000;

    /** One side's sighting of a message: its acceptance (with the intended send time) or its reading. */
    private record Sighting(boolean accepted, long nanos) {}

    private final int every;
    private final ConcurrentHashMap<String, Sighting> sightings = new ConcurrentHashMap<>();
    private final AtomicLong awaited = new AtomicLong();
    private final AtomicLong readEarly = new AtomicLong();
    private final Queue<Integer> toRead = new ConcurrentLinkedQueue<>();
    private final Set<Integer> queued = ConcurrentHashMap.newKeySet();
    private final Recorder latencies = new Recorder(Latencies.SIGNIFICANT_DIGITS);
    private final LongAdder read = new LongAdder();
    private final LongAdder untracked = new LongAdder();
    private final Ticker ticker;

    InboxReader(int every, Ticker ticker) {
        if (every < 1) {
            throw new IllegalArgumentException("--consume-every must be at least 1");
        }
        this.every = every;
        this.ticker = ticker;
    }

    boolean watches(int recipient) {
        return recipient >= 0 && recipient % every == 0;
    }

    /**
     * The results of a request whose messages start at {@code firstSequence}: each new ACCEPTED
     * message to a watched recipient is awaited in that recipient's inbox.
     */
    void accepted(RunMessages messages, long firstSequence, long intendedNanos, List<MessageResult> results) {
        for (int i = 0; i < results.size(); i++) {
            MessageResult result = results.get(i);
            if (result.getReason() != Reason.ACCEPTED || result.getDuplicate()) {
                continue;
            }
            int recipient = messages.seededRecipient(firstSequence + i);
            if (watches(recipient)) {
                await(recipient, result.getMessageId(), intendedNanos);
            }
        }
    }

    private void await(int recipient, String messageId, long intendedNanos) {
        if (awaited.get() >= MAX_AWAITED) {
            untracked.increment();
            return;
        }
        sightings.compute(messageId, (id, seen) -> {
            if (seen != null && !seen.accepted()) {
                readEarly.decrementAndGet();
                record(seen.nanos() - intendedNanos);
                return null;
            }
            awaited.incrementAndGet();
            return new Sighting(true, intendedNanos);
        });
        if (queued.add(recipient)) {
            toRead.add(recipient);
        }
    }

    /** The next watched recipient with messages to read, or -1. */
    int nextToRead() {
        Integer recipient = toRead.poll();
        if (recipient == null) {
            return -1;
        }
        queued.remove(recipient);
        return recipient;
    }

    /** Reads {@code recipient} again: its page was full, or the read failed. */
    void readAgain(int recipient) {
        if (queued.add(recipient)) {
            toRead.add(recipient);
        }
    }

    /**
     * A message came out of an inbox now. One of this run's that its sender already heard of
     * counts at once; any other is kept for a while in case its sender has yet to hear; what
     * never matches is earlier runs' traffic, drained with it.
     */
    void delivered(String messageId) {
        long now = ticker.nanoTime();
        if (readEarly.get() >= MAX_READ_EARLY) {
            sightings.values().removeIf(seen -> !seen.accepted());
            readEarly.set(0);
        }
        sightings.compute(messageId, (id, seen) -> {
            if (seen != null && seen.accepted()) {
                awaited.decrementAndGet();
                record(now - seen.nanos());
                return null;
            }
            if (seen == null) {
                readEarly.incrementAndGet();
            }
            return new Sighting(false, now);
        });
    }

    private void record(long latencyNanos) {
        latencies.recordValue(Math.max(1, latencyNanos));
        read.increment();
    }

    /** True while messages accepted for watched recipients have not been read. */
    boolean awaiting() {
        return awaited.get() > 0;
    }

    /** What was read, with the latencies since the last call (call once, at the end). */
    Reading reading() {
        return new Reading(every, read.sum(), Math.max(0, awaited.get()), untracked.sum(),
                latencies.getIntervalHistogram());
    }

    /**
     * The consumer side's result.
     *
     * @param every one recipient in this many was watched
     * @param read this run's messages read from the watched inboxes
     * @param unread accepted for a watched recipient and not read by the end
     * @param untracked accepted while too many were awaited to track them
     * @param latencies submit-to-read, in nanoseconds, from each request's intended send time
     */
    record Reading(int every, long read, long unread, long untracked, Histogram latencies) {
    }
}
