package org.optline.core.quality;

import java.time.Duration;
import org.optline.core.business.Quality;

/**
 * How a business's quality is rated from its recipients' feedback, and what a RED rating does.
 *
 * <p>The rating looks at the last {@code window} (7 days): the complaints (spam reports and
 * blocks) and the positive signals (reads, replies). Its measure is the share of complaints in
 * that feedback, {@code complaints / (complaints + positives)}: a sender whose messages people
 * read and rarely report stays low however much it sends, one whose messages draw reports and
 * few reads climbs. Fewer than {@code minComplaints} complaints in the window never lower a
 * rating: a handful of reports is not yet a pattern. See docs/operations.md ("Quality") for the
 * reasoning behind each default.
 *
 * @param window the rolling window of the signals
 * @param yellowRate the share of complaints from which the rating is YELLOW
 * @param redRate the share of complaints from which the rating is RED (and marketing pauses)
 * @param minComplaints complaints within the window below which the rating stays GREEN
 */
public record QualityPolicy(Duration window, double yellowRate, double redRate, int minComplaints) {
    /** As the largest messaging platforms rate senders: the last week, so that a fixed problem fades within one. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    /**
     * One complaint in a hundred signals. Mailbox providers ask bulk senders to stay under 0.1 %
     * spam reports per message delivered and refuse them from 0.3 %; our denominator is feedback,
     * not deliveries, and only a part of the messages draw any (a read at least), so the same
     * behaviour shows as a share about ten times larger: 1 % is the warning.
     */
    public static final double DEFAULT_YELLOW_RATE = 0.01;
    /** Three in a hundred: the providers' 0.3 %, scaled as above; here marketing pauses. */
    public static final double DEFAULT_RED_RATE = 0.03;
    /** Five people complaining within a week is a pattern; fewer is chance, or one unhappy customer. */
    public static final int DEFAULT_MIN_COMPLAINTS = 5;
    /** SPEC and the issue: the first RED pauses marketing for 3 hours. */
    public static final Duration FIRST_PAUSE = Duration.ofHours(3);
    /** The second for 6 hours; the third holds until an operator lifts it. */
    public static final Duration SECOND_PAUSE = Duration.ofHours(6);
    /**
     * A business moves up a tier when, GREEN for at least this long and this long after its last
     * change of tier, it reached half its tier of unique recipients within this window.
     */
    public static final Duration UPGRADE_WINDOW = Duration.ofDays(7);

    public static final QualityPolicy DEFAULTS = new QualityPolicy(DEFAULT_WINDOW, DEFAULT_YELLOW_RATE, DEFAULT_RED_RATE,
            DEFAULT_MIN_COMPLAINTS);

    public QualityPolicy {
        if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("the quality window must be at least an hour");
        }
        if (!(yellowRate > 0 && yellowRate <= redRate && redRate <= 1)) {
            throw new IllegalArgumentException("the complaint rates must satisfy 0 < yellow <= red <= 1");
        }
        if (minComplaints < 1) {
            throw new IllegalArgumentException("the minimum of complaints must be at least 1");
        }
    }

    /** The rating of this feedback. */
    public Quality rate(long complaints, long positives) {
        if (complaints < minComplaints) {
            return Quality.GREEN;
        }
        double share = complaints / (double) (complaints + positives);
        return share >= redRate ? Quality.RED : share >= yellowRate ? Quality.YELLOW : Quality.GREEN;
    }
}
