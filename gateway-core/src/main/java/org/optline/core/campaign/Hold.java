package org.optline.core.campaign;

import java.time.Instant;
import java.util.Objects;

/**
 * An audience member set aside until {@code releaseAt}: in quiet hours when it was due, or
 * answered RATE_LIMITED or OVERLOADED. Holds are stored, so a restart releases them on time.
 */
public record Hold(Instant releaseAt, long ordinal, Kind kind) {
    public enum Kind {
        QUIET_HOURS,
        RETRY
    }

    public Hold {
        Objects.requireNonNull(releaseAt);
        Objects.requireNonNull(kind);
    }
}
