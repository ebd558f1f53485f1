package org.optline.core.consent;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.optline.core.recipient.PhoneNumber;

/**
 * Who said yes to what. Reads may block briefly (a disk lookup in a durable store), so they
 * are never called on an event loop; writes complete their future once the change is safe.
 */
public interface ConsentStore {

    /** The record under a key, {@link ConsentRecord#NONE} when there is none. */
    ConsentRecord get(ConsentKey key);

    /** The records under several keys; every key is in the answer. */
    default Map<ConsentKey, ConsentRecord> getAll(Collection<ConsentKey> keys) {
        Map<ConsentKey, ConsentRecord> records = new LinkedHashMap<>();
        for (ConsentKey key : keys) {
            records.computeIfAbsent(key, this::get);
        }
        return records;
    }

    /**
     * Applies a change and appends it to the recipient's audit trail. The future completes
     * when the change is durable and visible to every later {@link #get}.
     */
    CompletableFuture<Void> apply(ConsentChange change);

    /** Every record of a recipient, including the recipient-wide one, keyed by business id. */
    Map<String, ConsentRecord> recipientRecords(PhoneNumber recipient);

    /** The recipient's audit trail, oldest first. */
    List<ConsentChange> history(PhoneNumber recipient);

    /**
     * Right to erasure: removes every record and the audit trail of the recipient, and keeps
     * only that an erasure happened, under {@code erasureId} (a keyed hash, never the number).
     * The future completes when the erasure is durable.
     */
    CompletableFuture<Void> erase(PhoneNumber recipient, String erasureId, java.time.Instant at);
}
