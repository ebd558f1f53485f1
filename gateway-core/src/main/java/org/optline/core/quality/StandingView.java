package org.optline.core.quality;

import java.time.Duration;
import java.time.Instant;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.limit.ContactCounts;

/**
 * Where a business stands now, as it (and the operator) reads it: its tier and how much of it the
 * rolling window used, its quality with the figures behind it, and whether its marketing is paused.
 *
 * @param tier the tier in effect: the higher of the configured one and the one earned by moving up
 * @param reached unique recipients within {@code tierWindow} (what the tier limits) and within
 *     {@code reachWindow} (what a tier upgrade looks at); zero for an unlimited tier, which is not counted
 * @param quality the rating in effect: the worse of the configured quality and the {@code rating}
 *     recipients' feedback earned
 * @param pausedUntil when a timed pause ends; null when marketing is not paused or the pause is held
 * @param held true while a pause holds until an operator lifts it
 * @param pausedByConfiguration true when the configuration sets the business RED
 * @param pauses pauses since the rating was last GREEN
 */
public record StandingView(String businessId, Tier tier, Tier configuredTier, ContactCounts reached,
                           Duration tierWindow, Duration reachWindow, Quality quality, Quality rating,
                           long spamReports, long blocks, long positives, Duration qualityWindow,
                           boolean marketingPaused, Instant pausedUntil, boolean held, boolean pausedByConfiguration,
                           int pauses) {

    /** Unique recipients the tier still allows within the window now; -1 for an unlimited tier. */
    public long remaining() {
        return tier.isUnlimited() ? -1 : Math.max(0, tier.uniqueRecipientsPerDay() - reached.inWindow());
    }

    public long complaints() {
        return spamReports + blocks;
    }
}
