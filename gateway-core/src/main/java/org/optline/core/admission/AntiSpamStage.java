package org.optline.core.admission;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.business.Business;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.message.Reason;
import org.optline.core.storage.StorageException;
import org.optline.core.storage.StorageUnavailableException;

/**
 * Stage 7: tier, frequency caps, duplicate content and paused businesses. The limits read their
 * store on a cache miss; a read that fails fails the stage, which the pipeline answers like any
 * failed store read (STORAGE_UNAVAILABLE for a storage fault), giving back what the candidates
 * before it counted.
 */
final class AntiSpamStage implements Stage {
    private final AntiSpamLimits limits;

    AntiSpamStage(AntiSpamLimits limits) {
        this.limits = limits;
    }

    @Override
    public CompletableFuture<Void> apply(Business business, List<Candidate> undecided) {
        for (Candidate candidate : undecided) {
            AntiSpamLimits.Verdict verdict;
            try {
                verdict = limits.admit(business, candidate.recipient, candidate.category, candidate.text);
            } catch (StorageException | StorageUnavailableException e) {
                return CompletableFuture.failedFuture(e);
            }
            verdict.refusal().ifPresentOrElse(
                    reason -> candidate.refuse(reason, describe(reason)),
                    () -> candidate.countedByLimits = verdict);
        }
        return DONE;
    }

    private static String describe(Reason reason) {
        return switch (reason) {
            case TIER_LIMIT_REACHED -> "the business reached its tier of unique recipients per 24 h";
            case FREQUENCY_CAPPED -> "the recipient reached a marketing frequency cap";
            case DUPLICATE_CONTENT -> "the same marketing text went to this recipient within 24 h";
            case BUSINESS_PAUSED -> "the business's marketing is paused for low quality";
            default -> reason.name();
        };
    }
}
