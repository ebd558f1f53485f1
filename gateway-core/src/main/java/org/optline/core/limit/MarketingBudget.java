package org.optline.core.limit;

import java.time.Duration;
import java.util.List;

/**
 * A recipient's marketing budget at a moment: the caps, how many offers every business together
 * and each business sent within the rolling window, and when the oldest of them leaves it.
 *
 * @param firstFreesAtMillis when the oldest counted offer leaves the window (epoch milliseconds); 0 when none is counted
 * @param businesses the businesses that sent offers within the window, in the order of their first
 */
public record MarketingBudget(int cap, int capPerBusiness, Duration window, int used, long firstFreesAtMillis,
                              List<FromBusiness> businesses) {

    public MarketingBudget {
        businesses = List.copyOf(businesses);
    }

    /** One business's offers to the recipient within the window. */
    public record FromBusiness(String businessId, int used, long firstFreesAtMillis) {}

    /** Offers every business together may still send. */
    public int remaining() {
        return Math.max(0, cap - used);
    }

    /** Offers one business may still send: its own cap, within what everyone together may. */
    public int remainingFrom(String businessId) {
        return Math.min(remaining(), Math.max(0, capPerBusiness - from(businessId).used()));
    }

    /** The business's offers within the window; none for a business that sent none. */
    public FromBusiness from(String businessId) {
        for (FromBusiness business : businesses) {
            if (business.businessId().equals(businessId)) {
                return business;
            }
        }
        return new FromBusiness(businessId, 0, 0);
    }
}
