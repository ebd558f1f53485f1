package org.optline.core.testing;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentStore;
import org.optline.core.recipient.PhoneNumber;

/**
 * A consent store whose record reads wait for the test to open the gate, like a remote engine
 * or a cold disk; writes and the other reads go straight through.
 */
public final class GatedConsentStore implements ConsentStore {
    private final ConsentStore store;
    private final CompletableFuture<Void> gate;

    /** @param gate completing it lets the reads through; failing it fails them */
    public GatedConsentStore(ConsentStore store, CompletableFuture<Void> gate) {
        this.store = store;
        this.gate = gate;
    }

    @Override
    public CompletableFuture<ConsentRecord> get(ConsentKey key) {
        return gate.thenCompose(open -> store.get(key));
    }

    @Override
    public CompletableFuture<Map<ConsentKey, ConsentRecord>> getAll(Collection<? extends ConsentKey> keys) {
        return gate.thenCompose(open -> store.getAll(keys));
    }

    @Override
    public CompletableFuture<Void> apply(ConsentChange change) {
        return store.apply(change);
    }

    @Override
    public CompletableFuture<Map<String, ConsentRecord>> recipientRecords(PhoneNumber recipient) {
        return store.recipientRecords(recipient);
    }

    @Override
    public CompletableFuture<List<ConsentChange>> history(PhoneNumber recipient) {
        return store.history(recipient);
    }

    @Override
    public CompletableFuture<Void> erase(PhoneNumber recipient, String erasureId, Instant at) {
        return store.erase(recipient, erasureId, at);
    }
}
