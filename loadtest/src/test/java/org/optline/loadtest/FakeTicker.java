package org.optline.loadtest;

import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A clock that moves only when the code under test sleeps: {@link #sleepUntil} jumps straight
 * to the deadline, first letting a simulated world act at each moment it asked to be woken,
 * so a whole run of simulated seconds takes milliseconds and comes out the same every time.
 */
final class FakeTicker implements Ticker {
    private long now;
    private LongConsumer world = t -> { };
    /** The next moment the world wants to act, before the sleeper's own deadline. */
    private long worldWakeAt = Long.MAX_VALUE;

    FakeTicker(long start) {
        this.now = start;
    }

    /** {@code world} is called with the time whenever the clock reaches a moment it asked for with {@link #wakeAt}. */
    void world(LongConsumer world) {
        this.world = world;
    }

    /** Asks for the world to be called when the clock reaches {@code nanos}. */
    void wakeAt(long nanos) {
        worldWakeAt = Math.min(worldWakeAt, nanos);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleepUntil(long deadlineNanos) {
        sleepUntil(deadlineNanos, () -> false);
    }

    /** As the real clock: returns at the moment the world made {@code wakeWhen} true, if that comes first. */
    @Override
    public void sleepUntil(long deadlineNanos, BooleanSupplier wakeWhen) {
        while (worldWakeAt <= deadlineNanos) {
            now = Math.max(now, worldWakeAt);
            worldWakeAt = Long.MAX_VALUE;
            world.accept(now);
            if (wakeWhen.getAsBoolean()) {
                return;
            }
        }
        now = Math.max(now, deadlineNanos);
    }
}
