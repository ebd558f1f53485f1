package org.optline.core.business;

/**
 * A business's messaging tier: how many unique recipients it may reach per rolling 24 h.
 *
 * @param uniqueRecipientsPerDay the limit, or {@link #UNLIMITED_RECIPIENTS} for no limit
 */
public record Tier(int uniqueRecipientsPerDay) {
    public static final int UNLIMITED_RECIPIENTS = Integer.MAX_VALUE;
    public static final Tier TIER_1K = new Tier(1_000);
    public static final Tier TIER_10K = new Tier(10_000);
    public static final Tier TIER_100K = new Tier(100_000);
    public static final Tier UNLIMITED = new Tier(UNLIMITED_RECIPIENTS);

    public Tier {
        if (uniqueRecipientsPerDay <= 0) {
            throw new IllegalArgumentException("tier must be positive");
        }
    }

    public boolean isUnlimited() {
        return uniqueRecipientsPerDay == UNLIMITED_RECIPIENTS;
    }

    /** The tier a business moves up to from this one: the next of 1 000, 10 000, 100 000, unlimited. */
    public Tier next() {
        for (Tier tier : new Tier[] {TIER_1K, TIER_10K, TIER_100K}) {
            if (tier.uniqueRecipientsPerDay > uniqueRecipientsPerDay) {
                return tier;
            }
        }
        return UNLIMITED;
    }

    /** The higher of two tiers. */
    public static Tier higher(Tier a, Tier b) {
        return a.uniqueRecipientsPerDay >= b.uniqueRecipientsPerDay ? a : b;
    }

    /** Reads {@code 1000}, {@code 10000}, {@code 100000} or {@code unlimited}. */
    public static Tier parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "1000" -> TIER_1K;
            case "10000" -> TIER_10K;
            case "100000" -> TIER_100K;
            case "unlimited" -> UNLIMITED;
            default -> throw new IllegalArgumentException(
                    "expected one of 1000, 10000, 100000, unlimited but was '" + value + "'");
        };
    }

    @Override
    public String toString() {
        return isUnlimited() ? "unlimited" : Integer.toString(uniqueRecipientsPerDay);
    }
}
