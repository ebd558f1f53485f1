package org.optline.core.quality;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.business.Business;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.limit.Standings;

/**
 * Every business's current {@link Standing}, as admission reads it for each message without a
 * lock: the tier in effect (the higher of the configured and the earned one) and whether its
 * marketing is paused (by its rating, or because its configuration says RED). Replaced whole by
 * {@link QualityService} on each change.
 */
public final class BusinessStandings implements Standings {
    private final Map<String, Standing> byBusiness = new ConcurrentHashMap<>();

    public BusinessStandings(Collection<Standing> stored) {
        for (Standing standing : stored) {
            byBusiness.put(standing.businessId(), standing);
        }
    }

    @Override
    public Tier tier(Business business) {
        Standing standing = byBusiness.get(business.id());
        return standing == null || standing.tier() == null ? business.tier()
                : Tier.higher(business.tier(), standing.tier());
    }

    @Override
    public boolean marketingPaused(Business business, long nowMillis) {
        if (business.quality() == Quality.RED) {
            return true;
        }
        Standing standing = byBusiness.get(business.id());
        return standing != null && standing.pausedAt(nowMillis);
    }

    /** The business's standing; a fresh one when nothing was ever recorded. */
    public Standing of(String businessId) {
        Standing standing = byBusiness.get(businessId);
        return standing != null ? standing : Standing.fresh(businessId);
    }

    void put(Standing standing) {
        byBusiness.put(standing.businessId(), standing);
    }
}
