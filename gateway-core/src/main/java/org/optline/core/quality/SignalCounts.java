package org.optline.core.quality;

/**
 * A business's feedback within one hour (epoch milliseconds of its start): complaints by kind and
 * positive signals. The window of the rating is made of such hours.
 */
public record SignalCounts(long hourMillis, long spamReports, long blocks, long positives) {
    public long complaints() {
        return spamReports + blocks;
    }
}
