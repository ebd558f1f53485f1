package org.optline.core.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.optline.core.recipient.PhoneNumber;

/**
 * Who said yes to what, as a storage engine keeps it. Every method answers with a future: an
 * engine may serve a read from memory or a local disk (and complete it on the calling thread,
 * which is therefore never an event loop) or from a remote log. A write's future completes once
 * the change is durable and visible to every later read.
 */
public interface ConsentStore {

    /** The record under a key, {@link ConsentRecord#NONE} when there is none. */
    CompletableFuture<ConsentRecord> get(ConsentKey key);

    /** The records under several keys; every key is in the answer. */
    CompletableFuture<Map<ConsentKey, ConsentRecord>> getAll(Collection<? extends ConsentKey> keys);

    /** Applies a change and appends it to the recipient's audit trail. */
    CompletableFuture<Void> apply(ConsentChange change);

    /** Every record of a recipient, including the recipient-wide one, keyed by business id. */
    CompletableFuture<Map<String, ConsentRecord>> recipientRecords(PhoneNumber recipient);

    /** The recipient's audit trail, oldest first. */
    CompletableFuture<List<ConsentChange>> history(PhoneNumber recipient);

    /**
     * Right to erasure: removes every record and the audit trail of the recipient, and keeps
     * only that an erasure happened, under {@code erasureId} (a keyed hash, never the number).
     */
    CompletableFuture<Void> erase(PhoneNumber recipient, String erasureId, Instant at);
}
