package org.optline.core.quality;

import java.util.Objects;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;

/**
 * Where a business stands, as the quality state machine keeps it (durably): the tier it earned,
 * its rating, and its marketing pauses. Times are epoch milliseconds, 0 for never.
 *
 * @param tier the tier earned by moving up, or null when it never moved (the configured one applies;
 *     the higher of the two always does)
 * @param pauses pauses since the rating was last GREEN (the next one is longer)
 * @param pausedUntilMillis until when marketing is paused; 0 when it is not, {@link #HELD} until an operator lifts it
 * @param lastComplaintMillis the last complaint counted
 * @param pauseEndedMillis when the last pause ended (a new one needs a complaint after it)
 * @param greenSinceMillis when the rating last became GREEN; 0 when it has been GREEN from the start
 * @param tierChangedMillis when the business last moved up a tier
 */
public record Standing(String businessId, Tier tier, Quality rating, int pauses, long pausedUntilMillis,
                       long lastComplaintMillis, long pauseEndedMillis, long greenSinceMillis,
                       long tierChangedMillis) {
    /** A pause that only an operator ends. */
    public static final long HELD = Long.MAX_VALUE;

    public Standing {
        Objects.requireNonNull(businessId);
        Objects.requireNonNull(rating);
    }

    /** A business nobody complained about yet. */
    public static Standing fresh(String businessId) {
        return new Standing(businessId, null, Quality.GREEN, 0, 0, 0, 0, 0, 0);
    }

    public boolean pausedAt(long nowMillis) {
        return pausedUntilMillis > nowMillis;
    }

    public boolean held() {
        return pausedUntilMillis == HELD;
    }

    Standing withTier(Tier newTier, long at) {
        return new Standing(businessId, newTier, rating, pauses, pausedUntilMillis, lastComplaintMillis,
                pauseEndedMillis, greenSinceMillis, at);
    }
}
