package org.optline.core.classify;

import org.optline.core.message.Category;

/**
 * What the model says a text is: one of the three categories a business may declare, or spam,
 * which no business may send. The order is the order of the model's weights and of its file.
 */
public enum Label {
    TRANSACTIONAL,
    AUTHENTICATION,
    MARKETING,
    /** Phishing, scams, prize and premium-rate bait, link-shortener bait: refused as REJECTED_SPAM. */
    SPAM;

    static final Label[] ALL = values();

    /** The category this label stands for; null for SPAM, which is no category a message may have. */
    public Category category() {
        return switch (this) {
            case TRANSACTIONAL -> Category.TRANSACTIONAL;
            case AUTHENTICATION -> Category.AUTHENTICATION;
            case MARKETING -> Category.MARKETING;
            case SPAM -> null;
        };
    }

    /** The label of a declared category. */
    public static Label of(Category category) {
        return switch (category) {
            case TRANSACTIONAL -> TRANSACTIONAL;
            case AUTHENTICATION -> AUTHENTICATION;
            case MARKETING -> MARKETING;
        };
    }
}
