package org.optline.core.delivery;

import org.optline.core.message.Category;

/**
 * The order in which a recipient's queue hands messages out: every AUTHENTICATION message before
 * any TRANSACTIONAL one, and every TRANSACTIONAL one before any MARKETING one; within a category,
 * in acceptance order. A one-time code is useless in a minute, an offer can wait.
 *
 * <p>Priority narrows SPEC §4's order (one business's messages to one recipient in acceptance
 * order) to one business's messages of one category: a later code overtakes an earlier alert of
 * the same business. Within such a {@link MessageGroup} acceptance order always holds, even across
 * readers: a message is not handed out while another reader holds an earlier one of its group.
 */
public final class Priority {
    private Priority() {}

    /** 0 for the most urgent; engines sort a queue by this rank, then by acceptance order. */
    public static int rank(Category category) {
        return switch (category) {
            case AUTHENTICATION -> 0;
            case TRANSACTIONAL -> 1;
            case MARKETING -> 2;
        };
    }

    /** How many ranks there are. */
    public static final int RANKS = 3;
}
