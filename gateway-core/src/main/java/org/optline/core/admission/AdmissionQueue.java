package org.optline.core.admission;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The way into the admission pool: hands submissions to its threads, and refuses one (the
 * pipeline then answers it OVERLOADED at once) when the oldest submission already waiting has
 * waited longer than {@code maxWait}, or when the pool's queue is full.
 *
 * <p>Why a wait and not only a count: a count that suits batches of one is a queue of seconds
 * for batches of a hundred, and a queue of seconds is what made throughput fall under overload
 * (every waiting message survives young collections, the pauses grow, the node does less while
 * its clients wait longer). The age of the oldest waiting submission is the queue's delay
 * whatever the batch size or the machine, so the pool keeps enough work to stay busy and the
 * latency of what it takes stays bounded by about {@code maxWait} plus the work itself.
 *
 * <p>Fewer than {@code backlog} messages waiting are never refused, however long they wait: a few
 * hundred HTTP connections with one request each, or a burst into a cold JVM, cost no memory
 * worth sparing, and refusing them would only turn a pause of the machine into errors.
 */
public final class AdmissionQueue implements Executor {
    /**
     * The p99 the load tests hold a node to, and above the young-collection pauses and fsync
     * spikes of a healthy node (10-40 ms here), which would otherwise refuse work it can do.
     */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(50);

    private final ThreadPoolExecutor pool;
    private final BlockingQueue<Runnable> waiting;
    private final long maxWaitNanos;
    private final int backlog;
    private final LongSupplier nanoTime;
    /** Messages in the submissions waiting; changed as they are queued and as they start. */
    private final AtomicInteger queuedMessages = new AtomicInteger();

    /**
     * @param pool a pool with a bounded queue, whose rejection policy throws
     * @param backlog messages waiting below which none is refused for its wait (the largest
     *     submission's size, say)
     */
    public AdmissionQueue(ThreadPoolExecutor pool, Duration maxWait, int backlog) {
        this(pool, maxWait, backlog, System::nanoTime);
    }

    AdmissionQueue(ThreadPoolExecutor pool, Duration maxWait, int backlog, LongSupplier nanoTime) {
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("the admission queue's wait must be positive");
        }
        this.backlog = backlog;
        this.pool = pool;
        this.waiting = pool.getQueue();
        this.maxWaitNanos = maxWait.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Queues {@code task} for an admission thread.
     *
     * @throws RejectedExecutionException when the oldest waiting submission has waited too long,
     *     or the queue is full
     */
    @Override
    public void execute(Runnable task) {
        execute(task, 1);
    }

    /** Queues the admission of a submission of {@code messages} messages; refuses it like {@link #execute(Runnable)}. */
    public void execute(Runnable task, int messages) {
        long now = nanoTime.getAsLong();
        if (queuedMessages.get() >= backlog && waiting.peek() instanceof Waiting oldest
                && now - oldest.since > maxWaitNanos) {
            throw new RejectedExecutionException("the oldest submission has waited "
                    + Duration.ofNanos(now - oldest.since).toMillis() + " ms for an admission thread");
        }
        queuedMessages.addAndGet(messages);
        try {
            pool.execute(new Waiting(task, now, messages, queuedMessages));
        } catch (RejectedExecutionException full) {
            queuedMessages.addAndGet(-messages);
            throw full;
        }
    }

    /** Submissions waiting for an admission thread. */
    public int queued() {
        return waiting.size();
    }

    /** How long the oldest waiting submission has waited; zero when none waits. */
    public Duration oldestWait() {
        return waiting.peek() instanceof Waiting oldest
                ? Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - oldest.since))
                : Duration.ZERO;
    }

    /** A submission, when it was queued and how many messages it holds. */
    private record Waiting(Runnable task, long since, int messages, AtomicInteger queued) implements Runnable {
        @Override
        public void run() {
            queued.addAndGet(-messages);
            task.run();
        }
    }
}
