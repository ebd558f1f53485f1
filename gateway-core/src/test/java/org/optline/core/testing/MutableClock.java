package org.optline.core.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock for tests that only moves when told to, so that windows, buckets and expiries are
 * crossed by {@link #advance(Duration)} instead of by waiting.
 */
public final class MutableClock implements InstantSource {
    /** A fixed, unremarkable start so that failures reproduce exactly. */
    public static final Instant DEFAULT_START = Instant.parse("2025-03-01T09:00:00Z");

    private final AtomicReference<Instant> now;

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start));
    }

    public MutableClock() {
        this(DEFAULT_START);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves the clock forward (or back, for a negative duration) and returns the new time. */
    public Instant advance(Duration duration) {
        return now.updateAndGet(t -> t.plus(duration));
    }

    /** Sets the clock to an exact instant. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant));
    }
}
