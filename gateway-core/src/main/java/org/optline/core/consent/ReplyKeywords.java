package org.optline.core.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.optline.core.recipient.PhoneNumber;

/**
 * Opt-out by reply: reads a person's reply to a business and says which consent changes it
 * makes. STOP and its synonyms end that business's marketing; STOPALL ends everything from it;
 * START restores what a keyword took away, and nothing that the person withdrew another way.
 * Case and surrounding spaces do not matter; any other text changes nothing.
 */
public final class ReplyKeywords {
    private static final Set<String> STOP = Set.of("STOP", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE");
    private static final String STOP_ALL = "STOPALL";
    private static final String START = "START";

    private ReplyKeywords() {}

    /** The keyword a reply is, upper case, or empty when it is none. */
    public static String keyword(String reply) {
        String word = reply == null ? "" : reply.strip().toUpperCase(Locale.ROOT);
        return STOP.contains(word) || STOP_ALL.equals(word) || START.equals(word) ? word : "";
    }

    /**
     * The changes a reply makes, given the person's audit trail (oldest first).
     *
     * @param history the recipient's consent changes so far, to know what an earlier keyword removed
     */
    public static List<ConsentChange> changes(String reply, PhoneNumber recipient, String businessId,
                                              List<ConsentChange> history, Instant at) {
        String keyword = keyword(reply);
        List<ConsentChange> changes = new ArrayList<>(2);
        if (STOP.contains(keyword)) {
            changes.add(change(recipient, businessId, ConsentAction.OPT_OUT, ConsentClass.MARKETING, at));
        } else if (STOP_ALL.equals(keyword)) {
            changes.add(change(recipient, businessId, ConsentAction.OPT_OUT, ConsentClass.TRANSACTIONAL, at));
            changes.add(change(recipient, businessId, ConsentAction.OPT_OUT, ConsentClass.MARKETING, at));
        } else if (START.equals(keyword)) {
            for (ConsentClass consentClass : ConsentClass.values()) {
                if (lastChangeWasKeywordOptOut(history, businessId, consentClass)) {
                    changes.add(change(recipient, businessId, ConsentAction.OPT_IN, consentClass, at));
                }
            }
        }
        return changes;
    }

    private static boolean lastChangeWasKeywordOptOut(List<ConsentChange> history, String businessId,
                                                      ConsentClass consentClass) {
        for (int i = history.size() - 1; i >= 0; i--) {
            ConsentChange change = history.get(i);
            if (change.businessId().equals(businessId) && change.consentClass() == consentClass) {
                return change.action() == ConsentAction.OPT_OUT && change.source() == ConsentSource.KEYWORD;
            }
        }
        return false;
    }

    private static ConsentChange change(PhoneNumber recipient, String businessId, ConsentAction action,
                                        ConsentClass consentClass, Instant at) {
        return new ConsentChange(recipient, businessId, action, consentClass, ConsentSource.KEYWORD, "", at);
    }
}
