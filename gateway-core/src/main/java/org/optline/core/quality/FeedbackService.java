package org.optline.core.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentDecision;
import org.optline.core.consent.ConsentService;
import org.optline.core.consent.ConsentSource;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.delivery.MessageRecord;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;

/**
 * Recipients' feedback on messages, as the platform reports it: a spam report or a block is a
 * complaint about the message's business, a positive signal counts in its favour. A block is
 * also recorded as the person's consent (a block of the business), exactly as if the platform
 * had called the consent API, and counts as a complaint from there, once per recipient. The
 * message must be one the gateway still knows (queued, or its status retained) and the
 * recipient's.
 */
public final class FeedbackService {
    /** Reports per request. */
    public static final int MAX_BATCH = 1_000;

    private final MessageHistory history;
    private final ConsentService consents;
    private final QualityService quality;
    private final StoreExecutor executor;

    public FeedbackService(MessageHistory history, ConsentService consents, QualityService quality,
                           StoreExecutor executor) {
        this.history = history;
        this.consents = consents;
        this.quality = quality;
        this.executor = executor;
    }

    /** One report: a recipient's feedback on one message. */
    public record Feedback(PhoneNumber recipient, String messageId, FeedbackKind kind) {
        public Feedback {
            Objects.requireNonNull(recipient);
            Objects.requireNonNull(messageId);
            Objects.requireNonNull(kind);
        }
    }

    /** What became of one report. */
    public enum Reported {
        /** Counted (and for a block, the block recorded). */
        RECORDED,
        /** The same complaint about the same message was counted before: counted once. */
        ALREADY_RECORDED,
        /** No such message of this recipient is known (any more): nothing was counted. */
        UNKNOWN_MESSAGE
    }

    /** Records the reports in order; completes, when all are durable, with one answer each. */
    public CompletableFuture<List<Reported>> report(List<Feedback> feedback) {
        if (feedback.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " reports per request");
        }
        return executor.call(() -> {
            List<Reported> answers = new ArrayList<>(feedback.size());
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (Feedback each : feedback) {
                chain = chain.thenCompose(previous -> one(each)).thenAccept(answers::add);
            }
            return chain.thenApply(done -> answers);
        });
    }

    private CompletableFuture<Reported> one(Feedback feedback) {
        if (feedback.messageId().isEmpty() || feedback.messageId().length() > 64) {
            return CompletableFuture.completedFuture(Reported.UNKNOWN_MESSAGE);
        }
        return history.record(feedback.messageId()).thenCompose(found -> {
            if (found.isEmpty() || !found.get().recipient().equals(feedback.recipient())) {
                // Another recipient's message is answered like a missing one.
                return CompletableFuture.completedFuture(Reported.UNKNOWN_MESSAGE);
            }
            MessageRecord message = found.get();
            return switch (feedback.kind()) {
                case SPAM_REPORT -> quality.complaint(message.businessId(), FeedbackKind.SPAM_REPORT,
                        message.messageId()).thenApply(isNew -> isNew ? Reported.RECORDED : Reported.ALREADY_RECORDED);
                case BLOCK -> consents.change(new ConsentDecision(feedback.recipient(), message.businessId(),
                        ConsentAction.BLOCK, null, ConsentSource.APP, "")).thenApply(changed -> Reported.RECORDED);
                case POSITIVE -> {
                    quality.positive(message.businessId(), 1);
                    yield CompletableFuture.completedFuture(Reported.RECORDED);
                }
            };
        });
    }
}
