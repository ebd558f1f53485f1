package org.optline.core.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.optline.core.business.Business;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentState;
import org.optline.core.consent.ConsentStore;
import org.optline.core.message.Reason;

/**
 * Stage 6: the recipient must have opted in to the class of the effective category from this
 * business. A block refuses every class; marketing turned off for every business refuses
 * marketing whatever the per-business record says; no record means no. The records of the
 * whole batch are read at once; from the cache that read is complete on return.
 */
final class ConsentStage implements Stage {
    private final ConsentStore consents;

    ConsentStage(ConsentStore consents) {
        this.consents = consents;
    }

    @Override
    public CompletableFuture<Void> apply(Business business, List<Candidate> undecided) {
        List<ConsentKey> keys = new ArrayList<>(undecided.size() * 2);
        for (Candidate candidate : undecided) {
            keys.add(new ConsentKey(candidate.recipient, business.id()));
            if (candidate.category.consentClass() == ConsentClass.MARKETING) {
                keys.add(ConsentKey.everyBusiness(candidate.recipient));
            }
        }
        CompletableFuture<Map<ConsentKey, ConsentRecord>> records = consents.getAll(keys);
        // A failed read is left to the pipeline, which answers it as a failed read.
        if (records.isDone() && !records.isCompletedExceptionally()) {
            decide(business, undecided, records.join());
            return DONE;
        }
        return records.thenAccept(found -> decide(business, undecided, found));
    }

    private static void decide(Business business, List<Candidate> undecided, Map<ConsentKey, ConsentRecord> records) {
        for (Candidate candidate : undecided) {
            ConsentRecord record = records.get(new ConsentKey(candidate.recipient, business.id()));
            ConsentClass consentClass = candidate.category.consentClass();
            if (record.blocked()) {
                candidate.refuse(Reason.BLOCKED, "the recipient blocked this business");
            } else if (consentClass == ConsentClass.MARKETING
                    && records.get(ConsentKey.everyBusiness(candidate.recipient)).marketing() == ConsentState.OPTED_OUT) {
                candidate.refuse(Reason.OPTED_OUT, "the recipient turned marketing off for every business");
            } else if (record.state(consentClass) == ConsentState.OPTED_OUT) {
                candidate.refuse(Reason.OPTED_OUT, "the recipient opted out of " + describe(consentClass));
            } else if (record.state(consentClass) != ConsentState.OPTED_IN) {
                candidate.refuse(Reason.NOT_OPTED_IN, "the recipient has not opted in to " + describe(consentClass));
            }
        }
    }

    private static String describe(ConsentClass consentClass) {
        return consentClass == ConsentClass.MARKETING ? "marketing from this business"
                : "transactional messages from this business";
    }
}
