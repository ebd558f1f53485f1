package org.optline.core.campaign;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a business's campaign budget (messages a second) between its running campaigns by
 * max-min fairness: each gets its own pace if the budget allows, and the budget that the slower
 * ones leave is shared equally by the faster ones. No campaign gets more than it asked for, and
 * none can crowd another out.
 */
final class FairShare {
    private FairShare() {}

    /** The rate each campaign gets, by id. */
    static Map<String, Double> allocate(double budget, Map<String, Integer> paces) {
        List<Map.Entry<String, Integer>> byPace = new ArrayList<>(paces.entrySet());
        byPace.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
        Map<String, Double> rates = new HashMap<>();
        double left = budget;
        int waiting = byPace.size();
        for (Map.Entry<String, Integer> campaign : byPace) {
            double equal = left / waiting;
            double rate = Math.min(campaign.getValue(), equal);
            rates.put(campaign.getKey(), rate);
            left -= rate;
            waiting--;
        }
        return rates;
    }
}
