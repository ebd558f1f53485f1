package org.optline.core.consent;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;

/**
 * Consent, as the platform and the businesses reach it: a person's decisions recorded (directly
 * or by a reply keyword), read back and exported, and the businesses' requests for consent. The
 * one place for these rules, whatever transport calls it. Every change is durable, and visible
 * to admission, before its future completes. Runs on the store threads, never the caller's.
 */
public final class ConsentService {
    private final ConsentStore consents;
    private final ConsentRequests requests;
    private final BusinessDirectory directory;
    private final StoreExecutor store;
    private final InstantSource clock;
    private final BlockListener blocks;

    /**
     * Hears every block of a business that became durable: a recipient's complaint about it. The
     * change is answered once the listener's future completes, so what it records is in effect too.
     */
    public interface BlockListener {
        BlockListener NONE = (businessId, recipient) -> CompletableFuture.completedFuture(null);

        CompletableFuture<?> blocked(String businessId, PhoneNumber recipient);
    }

    /** The answer to a change. */
    public sealed interface Changed {
        /** Recorded at this time, durably. */
        record Recorded(Instant at) implements Changed {}

        /** No business has this id: nothing was recorded. */
        record UnknownBusiness() implements Changed {}
    }

    /** The answer to a reply. */
    public sealed interface Replied {
        /**
         * The reply was read: {@code keyword} is the keyword it is (empty for ordinary text) and
         * {@code changes} what it changed, all durable.
         */
        record Read(String keyword, List<ConsentChange> changes) implements Replied {}

        /** No business has this id: nothing was changed. */
        record UnknownBusiness() implements Replied {}
    }

    public ConsentService(ConsentStore consents, ConsentRequests requests, BusinessDirectory directory,
                          StoreExecutor store, InstantSource clock) {
        this(consents, requests, directory, store, clock, BlockListener.NONE);
    }

    /** A consent service that tells {@code blocks} of every block it records. */
    public ConsentService(ConsentStore consents, ConsentRequests requests, BusinessDirectory directory,
                          StoreExecutor store, InstantSource clock, BlockListener blocks) {
        this.blocks = blocks;
        this.consents = consents;
        this.requests = requests;
        this.directory = directory;
        this.store = store;
        this.clock = clock;
    }

    /** Records what a person decided. */
    public CompletableFuture<Changed> change(ConsentDecision decision) {
        if (!decision.action().isRecipientWide() && directory.byId(decision.businessId()).isEmpty()) {
            return CompletableFuture.completedFuture(new Changed.UnknownBusiness());
        }
        ConsentChange change = new ConsentChange(decision.recipient(), decision.businessId(), decision.action(),
                decision.consentClass(), decision.source(), decision.wordingVersion(), clock.instant());
        return store.call(() -> consents.apply(change))
                .thenCompose(done -> change.action() == ConsentAction.BLOCK
                        ? blocks.blocked(change.businessId(), change.recipient()) : CompletableFuture.completedFuture(null))
                .thenApply(done -> new Changed.Recorded(change.at()));
    }

    /** Every record of a recipient, keyed by business id; {@link ConsentKey#EVERY_BUSINESS} for the switches. */
    public CompletableFuture<Map<String, ConsentRecord>> records(PhoneNumber recipient) {
        return store.call(() -> consents.recipientRecords(recipient));
    }

    /** The recipient's audit trail, oldest first, for export. */
    public CompletableFuture<List<ConsentChange>> history(PhoneNumber recipient) {
        return store.call(() -> consents.history(recipient));
    }

    /**
     * A person's reply to a business, from the messaging channel: a STOP keyword opts out, a
     * START restores what a keyword took; each change durable before the next, all before the answer.
     */
    public CompletableFuture<Replied> reply(PhoneNumber recipient, String businessId, String text) {
        if (directory.byId(businessId).isEmpty()) {
            return CompletableFuture.completedFuture(new Replied.UnknownBusiness());
        }
        return store.call(() -> consents.history(recipient).thenCompose(history -> {
            List<ConsentChange> changes = ReplyKeywords.changes(text, recipient, businessId, history,
                    clock.instant());
            CompletableFuture<Void> applied = CompletableFuture.completedFuture(null);
            for (ConsentChange change : changes) {
                applied = applied.thenCompose(previous -> consents.apply(change));
            }
            return applied.thenApply(done -> new Replied.Read(ReplyKeywords.keyword(text), changes));
        }));
    }

    /** A business asks a recipient for consent to a class. */
    public CompletableFuture<ConsentRequests.Asked> ask(String businessId, PhoneNumber recipient,
                                                        ConsentClass consentClass) {
        return store.call(() -> requests.ask(businessId, recipient, consentClass));
    }

    /** The business's own requests to a recipient and where each stands; nobody else's. */
    public CompletableFuture<List<ConsentRequests.Status>> requests(String businessId, PhoneNumber recipient) {
        return store.call(() -> requests.statuses(businessId, recipient));
    }
}
