package org.optline.core.limit;

import org.optline.core.business.Business;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;

/**
 * Where a business stands as the limits need it: its tier now (which a good record raises), and
 * whether its marketing is paused now (which recipients' complaints decide). Read on the
 * admission pool for every message: implementations answer from memory.
 */
public interface Standings {
    /** The configuration's tier and quality only: a RED business is paused for as long as it is configured so. */
    Standings CONFIGURED = new Standings() {
        @Override
        public Tier tier(Business business) {
            return business.tier();
        }

        @Override
        public boolean marketingPaused(Business business, long nowMillis) {
            return business.quality() == Quality.RED;
        }
    };

    Tier tier(Business business);

    boolean marketingPaused(Business business, long nowMillis);
}
