package org.optline.core.quality;

import java.time.Instant;
import java.util.Objects;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;

/**
 * One change of where a business stands, which the business reads: its rating changed, its
 * marketing was paused or resumed, it moved up a tier. Never names a recipient.
 *
 * @param sequence the event's number, increasing per node; 0 before it is stored
 * @param pausedUntil for MARKETING_PAUSED: when the pause ends; null when it holds until lifted
 * @param detail the reason, in words (the figures behind a rating, which pause, who lifted it)
 */
public record StandingEvent(long sequence, String businessId, Instant at, Kind kind, Quality fromQuality,
                            Quality toQuality, Tier fromTier, Tier toTier, int pause, Instant pausedUntil,
                            String detail) {

    /** What changed. */
    public enum Kind {
        /** The rating moved (fromQuality → toQuality). */
        QUALITY_CHANGED,
        /** Marketing is paused (pause number {@code pause}, until {@code pausedUntil} or until lifted). */
        MARKETING_PAUSED,
        /** Marketing flows again: the pause ended, or an operator lifted it. */
        MARKETING_RESUMED,
        /** The business moved up a tier (fromTier → toTier). */
        TIER_CHANGED
    }

    public StandingEvent {
        Objects.requireNonNull(businessId);
        Objects.requireNonNull(at);
        Objects.requireNonNull(kind);
        detail = Objects.requireNonNullElse(detail, "");
    }

    StandingEvent numbered(long number) {
        return new StandingEvent(number, businessId, at, kind, fromQuality, toQuality, fromTier, toTier, pause,
                pausedUntil, detail);
    }
}
