package org.optline.core.classify;

import java.util.List;
import org.optline.core.message.Category;

/**
 * What the classifier decided about a text, and why.
 *
 * @param category the effective category (for spam, the declared one)
 * @param spam true when the text is abusive and must be refused as REJECTED_SPAM
 * @param rule which decision was taken: {@code declared}, {@code marketing}, {@code one-time-code}
 *     or {@code spam}
 * @param evidence the strongest features behind a changed or refused message, in words a business
 *     can act on ({@code look-alike domain "paypa1-secure.com"}, {@code selling words: "20% off"});
 *     empty when the declared category stands
 */
public record Classification(Category category, boolean spam, String rule, List<String> evidence) {
    static final String DECLARED = "declared";
    static final String MARKETING = "marketing";
    static final String ONE_TIME_CODE = "one-time-code";
    static final String SPAM = "spam";

    public Classification {
        evidence = List.copyOf(evidence);
    }

    /** One line saying what the text reads as and why; empty when the declared category stands. */
    public String explanation() {
        String reading = switch (rule) {
            case SPAM -> "reads as spam";
            case MARKETING -> "reads as marketing";
            case ONE_TIME_CODE -> "reads as a one-time code";
            default -> "";
        };
        if (reading.isEmpty()) {
            return "";
        }
        return evidence.isEmpty() ? reading : reading + ": " + String.join("; ", evidence);
    }
}
