package org.optline.core.status;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.message.Outcome;

/**
 * Where a status read finds a refused message: the first outcome of a (business,
 * client_message_id) within the idempotency window, refusals included (admission's
 * {@code firstOutcome}); empty when none was decided.
 */
@FunctionalInterface
public interface FirstOutcomes {
    CompletableFuture<Optional<Outcome>> firstOutcome(String businessId, String clientMessageId);
}
