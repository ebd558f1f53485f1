package org.optline.core.campaign;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/** How many audience members had each {@link CampaignOutcome}; immutable. */
public final class Counts {
    public static final Counts ZERO = new Counts(new long[CampaignOutcome.values().length]);

    private final long[] counts;

    private Counts(long[] counts) {
        this.counts = counts;
    }

    public static Counts of(Map<CampaignOutcome, Long> counts) {
        long[] values = new long[CampaignOutcome.values().length];
        counts.forEach((outcome, n) -> values[outcome.ordinal()] = n);
        return new Counts(values);
    }

    public long get(CampaignOutcome outcome) {
        return counts[outcome.ordinal()];
    }

    public Counts plus(CampaignOutcome outcome, long n) {
        long[] next = counts.clone();
        next[outcome.ordinal()] += n;
        return new Counts(next);
    }

    public Counts plus(Counts other) {
        long[] next = counts.clone();
        for (int i = 0; i < next.length; i++) {
            next[i] += other.counts[i];
        }
        return new Counts(next);
    }

    /** Messages that went through admission and got their final answer: what was sent, whatever the answer. */
    public long sent() {
        long sent = 0;
        for (CampaignOutcome outcome : CampaignOutcome.values()) {
            if (outcome.isAdmission()) {
                sent += counts[outcome.ordinal()];
            }
        }
        return sent;
    }

    public boolean isZero() {
        return Arrays.stream(counts).allMatch(n -> n == 0);
    }

    /** The non-zero counts, in the enum's order. */
    public Map<CampaignOutcome, Long> asMap() {
        Map<CampaignOutcome, Long> map = new EnumMap<>(CampaignOutcome.class);
        for (CampaignOutcome outcome : CampaignOutcome.values()) {
            if (counts[outcome.ordinal()] != 0) {
                map.put(outcome, counts[outcome.ordinal()]);
            }
        }
        return map;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counts other && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
