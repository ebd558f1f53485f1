package org.optline.core.campaign;

/**
 * The bounds campaigns run within.
 *
 * @param throughputShare the part of each business's throughput limit that its campaigns may use
 *     together (0 to 1); the rest is kept for its transactional traffic
 * @param maxAudienceRows data rows read from one upload; the rest of a longer upload is refused
 * @param maxStep messages one step of a campaign submits at once, in admission batches
 */
public record CampaignPolicy(double throughputShare, long maxAudienceRows, int maxStep) {
    /**
     * Half: a bank's campaign can never take the capacity its balance alerts and one-time codes
     * need, and still has half of the business's limit when they are quiet.
     */
    public static final double DEFAULT_THROUGHPUT_SHARE = 0.5;
    /** Ten times the audience the issue asks for; each row costs disk, never heap. */
    public static final long DEFAULT_MAX_AUDIENCE_ROWS = 10_000_000;
    /**
     * Four full admission batches: enough to keep both admission threads and a group commit busy
     * at full pace, few enough that a step's rows are a megabyte of heap.
     */
    public static final int DEFAULT_MAX_STEP = 4_000;

    public static final CampaignPolicy DEFAULTS =
            new CampaignPolicy(DEFAULT_THROUGHPUT_SHARE, DEFAULT_MAX_AUDIENCE_ROWS, DEFAULT_MAX_STEP);

    public CampaignPolicy {
        if (!(throughputShare > 0 && throughputShare <= 1)) {
            throw new IllegalArgumentException("the campaigns' throughput share must be above 0 and at most 1");
        }
        if (maxAudienceRows <= 0 || maxStep <= 0) {
            throw new IllegalArgumentException("campaign bounds must be positive");
        }
    }
}
