package org.optline.core.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.core.storage.memory.InMemoryConsentStoreTest.ALICE;
import static org.optline.core.storage.memory.InMemoryConsentStoreTest.BANK;
import static org.optline.core.storage.memory.InMemoryConsentStoreTest.BOB;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.memory.InMemoryConsentStore;

class CachedConsentStoreTest {
    private static final ConsentKey ALICE_BANK = new ConsentKey(ALICE, BANK);

    /** Counts reads and can hold back the acknowledgement of a change. */
    private static final class ObservedStore implements ConsentStore {
        final InMemoryConsentStore delegate = new InMemoryConsentStore();
        final AtomicInteger reads = new AtomicInteger();
        CompletableFuture<Void> acknowledgement;

        @Override
        public CompletableFuture<ConsentRecord> get(ConsentKey key) {
            reads.incrementAndGet();
            return delegate.get(key);
        }

        @Override
        public CompletableFuture<Map<ConsentKey, ConsentRecord>> getAll(java.util.Collection<? extends ConsentKey> keys) {
            reads.addAndGet(keys.size());
            return delegate.getAll(keys);
        }

        @Override
        public CompletableFuture<Void> apply(ConsentChange change) {
            delegate.apply(change);
            return acknowledgement == null ? CompletableFuture.completedFuture(null) : acknowledgement;
        }

        @Override
        public CompletableFuture<Map<String, ConsentRecord>> recipientRecords(PhoneNumber recipient) {
            return delegate.recipientRecords(recipient);
        }

        @Override
        public CompletableFuture<List<ConsentChange>> history(PhoneNumber recipient) {
            return delegate.history(recipient);
        }

        @Override
        public CompletableFuture<Void> erase(PhoneNumber recipient, String erasureId, java.time.Instant at) {
            return delegate.erase(recipient, erasureId, at);
        }
    }

    private final ObservedStore store = new ObservedStore();
    private final CachedConsentStore cached = new CachedConsentStore(store, 1_000);

    private static ConsentChange change(PhoneNumber who, ConsentAction action, ConsentClass consentClass) {
        return new ConsentChange(who, BANK, action, consentClass, ConsentSource.APP, "", Instant.EPOCH);
    }

    @Test
    void absentRecordIsNoneAndIsCached() {
        assertThat(cached.get(ALICE_BANK).join()).isEqualTo(ConsentRecord.NONE);
        assertThat(cached.get(ALICE_BANK).join()).isEqualTo(ConsentRecord.NONE);

        assertThat(store.reads).hasValue(1);
        assertThat(cached.cache().synchronous().stats().hitCount()).isEqualTo(1);
    }

    @Test
    void getAfterApplySeesTheNewRecordEvenIfTheOldOneWasCached() {
        assertThat(cached.get(ALICE_BANK).join()).isEqualTo(ConsentRecord.NONE);

        assertThat(cached.apply(change(ALICE, ConsentAction.OPT_IN, ConsentClass.MARKETING))).isCompleted();

        assertThat(cached.get(ALICE_BANK).join().marketing()).isEqualTo(ConsentState.OPTED_IN);
    }

    @Test
    void everyKindOfChangeInvalidatesTheCachedRecord() {
        cached.get(ALICE_BANK).join();
        cached.apply(change(ALICE, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL));
        assertThat(cached.get(ALICE_BANK).join().transactional()).isEqualTo(ConsentState.OPTED_IN);

        cached.apply(change(ALICE, ConsentAction.OPT_OUT, ConsentClass.TRANSACTIONAL));
        assertThat(cached.get(ALICE_BANK).join().transactional()).isEqualTo(ConsentState.OPTED_OUT);

        cached.apply(change(ALICE, ConsentAction.BLOCK, null));
        assertThat(cached.get(ALICE_BANK).join().blocked()).isTrue();

        ConsentKey everyBusiness = ConsentKey.everyBusiness(ALICE);
        assertThat(cached.get(everyBusiness).join().marketing()).isEqualTo(ConsentState.ABSENT);
        cached.apply(change(ALICE, ConsentAction.MARKETING_OFF, null));
        assertThat(cached.get(everyBusiness).join().marketing()).isEqualTo(ConsentState.OPTED_OUT);
    }

    @Test
    void aChangeLeavesOtherRecipientsCached() {
        cached.get(ALICE_BANK).join();
        cached.get(new ConsentKey(BOB, BANK)).join();
        int readsBefore = store.reads.get();

        cached.apply(change(ALICE, ConsentAction.OPT_IN, ConsentClass.MARKETING));
        cached.get(new ConsentKey(BOB, BANK)).join();
        cached.get(ALICE_BANK).join();

        assertThat(store.reads.get() - readsBefore).as("only Alice's record is read again").isEqualTo(1);
    }

    @Test
    void changeIsAcknowledgedOnlyOnceTheStoreHasItAndTheCacheForgotTheOldRecord() {
        cached.get(ALICE_BANK).join();
        store.acknowledgement = new CompletableFuture<>();

        CompletableFuture<Void> acknowledged = cached.apply(change(ALICE, ConsentAction.OPT_IN, ConsentClass.MARKETING));
        assertThat(acknowledged).isNotDone();

        store.acknowledgement.complete(null);
        assertThat(acknowledged).isCompleted();
        assertThat(cached.get(ALICE_BANK).join().marketing()).isEqualTo(ConsentState.OPTED_IN);
    }

    @Test
    void historyAndRecipientRecordsComeFromTheStore() {
        ConsentChange optIn = change(ALICE, ConsentAction.OPT_IN, ConsentClass.MARKETING);
        ConsentChange optOut = change(ALICE, ConsentAction.OPT_OUT, ConsentClass.MARKETING);
        cached.apply(optIn);
        cached.apply(optOut);

        assertThat(cached.history(ALICE).join()).containsExactly(optIn, optOut);
        assertThat(cached.recipientRecords(ALICE).join()).containsOnlyKeys(BANK);
    }
}
