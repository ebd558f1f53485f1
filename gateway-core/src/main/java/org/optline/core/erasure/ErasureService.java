package org.optline.core.erasure;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.admission.AdmissionPipeline;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.consent.ConsentStore;
import org.optline.core.inbox.Inbox;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;

/**
 * Right to erasure, in one place: everything the node keeps about a recipient goes — consents
 * and their audit trail, the consent requests businesses made, queued messages and their
 * idempotency entries — and only a record that the erasure happened stays, under a keyed hash.
 * Completes once all of it is durable; every message submitted afterwards is NOT_OPTED_IN.
 */
public final class ErasureService {
    private final ConsentStore consents;
    private final ConsentRequestStore requests;
    private final Inbox inbox;
    private final AdmissionPipeline admission;
    private final byte[] erasureSecret;
    private final StoreExecutor store;
    private final InstantSource clock;

    public ErasureService(ConsentStore consents, ConsentRequestStore requests, Inbox inbox,
                          AdmissionPipeline admission, byte[] erasureSecret, StoreExecutor store,
                          InstantSource clock) {
        this.consents = consents;
        this.requests = requests;
        this.inbox = inbox;
        this.admission = admission;
        this.erasureSecret = erasureSecret.clone();
        this.store = store;
        this.clock = clock;
    }

    public CompletableFuture<ErasureReceipt> erase(PhoneNumber recipient) {
        Instant at = clock.instant();
        String erasureId = Erasure.id(erasureSecret, recipient);
        // Consents first: from the moment they are gone nothing new can be accepted for the person.
        return store.call(() -> consents.erase(recipient, erasureId, at)
                .thenCompose(erased -> requests.erase(recipient))
                .thenCompose(erased -> inbox.erase(recipient))
                .thenApply(removed -> {
                    forgetOutcomes(removed);
                    return new ErasureReceipt(at, erasureId, removed.size());
                }));
    }

    /** The node's memory of the removed messages' first outcomes goes too (their records on disk went with them). */
    private void forgetOutcomes(List<QueuedMessage> removed) {
        for (QueuedMessage message : removed) {
            admission.forgetOutcome(message.businessId(), message.clientMessageId());
        }
    }
}
