package org.optline.core.limit;

import java.util.Objects;

/**
 * One marketing message counted against a recipient's frequency caps and duplicate-content
 * window: who sent it, when (epoch milliseconds), and a 64-bit hash of its text (the text itself
 * is never kept by the limits).
 */
public record MarketingSend(String businessId, long atMillis, long textHash) {
    public MarketingSend {
        Objects.requireNonNull(businessId);
    }
}
