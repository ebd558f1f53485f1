package org.optline.core.inbox;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.optline.core.recipient.PhoneNumber;

/**
 * Tells who has new messages to hand out: a message accepted and durable, or leases given back.
 * Push subscriptions and long-polls wait on it. On one node an engine reports its own appends; an
 * engine on Kafka would report what its consumer reads. Listeners run on the engine's threads
 * (the store writer): they must be quick and never block.
 */
public final class Arrivals {
    private final List<Consumer<PhoneNumber>> listeners = new CopyOnWriteArrayList<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();

    /**
     * Hears which recipients someone here waits for (a long-poll, a push subscription): an engine
     * whose arrivals happen on another node (Kafka, where the owner of the recipient's partition
     * appends) asks that node to tell this one. Called on the thread that starts or ends the wait;
     * must be quick and never block.
     */
    public interface Watch {
        /** The first waiter for this recipient here. */
        void started(PhoneNumber recipient);

        /** The last waiter for this recipient here has gone. */
        void stopped(PhoneNumber recipient);
    }

    /** Hears from now on which recipients are waited for. */
    public void watch(Watch watch) {
        watches.add(watch);
    }

    /** Someone here now waits for the recipient's arrivals (there was nobody). */
    public void waiting(PhoneNumber recipient) {
        watches.forEach(watch -> watch.started(recipient));
    }

    /** Nobody here waits for the recipient's arrivals any more. */
    public void notWaiting(PhoneNumber recipient) {
        watches.forEach(watch -> watch.stopped(recipient));
    }

    /** Hears every arrival from now on. */
    public void subscribe(Consumer<PhoneNumber> listener) {
        listeners.add(listener);
    }

    /**
     * Reports that the recipient has messages to hand out. A listener that throws is a bug of its
     * own: it is reported to the thread's uncaught-exception handler and the others still hear,
     * and it never reaches the engine that reports (an append that is durable stays accepted).
     */
    public void arrived(PhoneNumber recipient) {
        for (Consumer<PhoneNumber> listener : listeners) {
            try {
                listener.accept(recipient);
            } catch (RuntimeException bug) {
                Thread thread = Thread.currentThread();
                thread.getUncaughtExceptionHandler().uncaughtException(thread, bug);
            }
        }
    }
}
