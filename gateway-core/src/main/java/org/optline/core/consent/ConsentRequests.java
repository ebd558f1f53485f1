package org.optline.core.consent;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.recipient.PhoneNumber;

/**
 * Consent requests (SPEC §2): a business may ask a recipient who has no record for a class; the
 * request stays open for a decision window, an undecided request expires as declined, and the
 * same business may not ask again for that class until a cool-down has passed since the last
 * request ended. The person's answer is not stored twice: it is the first change of that
 * class from that business in the audit trail after the request.
 */
public final class ConsentRequests {
    /** SPEC: an undecided request stays open for 30 days. */
    public static final Duration DEFAULT_DECISION_WINDOW = Duration.ofDays(30);
    /** SPEC: a declined or expired request may not be repeated for 90 days. */
    public static final Duration DEFAULT_COOL_DOWN = Duration.ofDays(90);

    /** Where a request stands. */
    public enum State {
        /** Waiting for the person's decision. */
        OPEN,
        /** The person opted in. */
        ACCEPTED,
        /** The person opted out or blocked the business. */
        DECLINED,
        /** The window passed without a decision: declined. */
        EXPIRED
    }

    /** A request and where it stands; {@code endedAt} is empty while it is open. */
    public record Status(ConsentClass consentClass, Instant askedAt, Instant decideBy, State state,
                         Optional<Instant> endedAt) {}

    /** The answer to asking. */
    public sealed interface Asked {
        /** A request is open now (newly, or already). */
        record Open(Status status) implements Asked {}

        /** The person already has a record for this class with this business: nothing to ask. */
        record AlreadyDecided(ConsentState state) implements Asked {}

        /** The last request was declined or expired too recently. */
        record CoolingDown(Instant askAgainAfter) implements Asked {}
    }

    private final ConsentStore consents;
    private final ConsentRequestStore requests;
    private final InstantSource clock;
    private final Duration window;
    private final Duration coolDown;

    public ConsentRequests(ConsentStore consents, ConsentRequestStore requests, InstantSource clock,
                           Duration window, Duration coolDown) {
        this.consents = consents;
        this.requests = requests;
        this.clock = clock;
        this.window = window;
        this.coolDown = coolDown;
    }

    /** A business asks a recipient for a class. Completes when a new request is durable. */
    public CompletableFuture<Asked> ask(String businessId, PhoneNumber recipient, ConsentClass consentClass) {
        CompletableFuture<ConsentRecord> record = consents.get(new ConsentKey(recipient, businessId));
        return status(businessId, recipient, consentClass).thenCombine(record, (last, current) -> {
            Instant now = clock.instant();
            if (last.isPresent() && last.get().state() == State.OPEN) {
                return CompletableFuture.<Asked>completedFuture(new Asked.Open(last.get()));
            }
            ConsentState state = current.state(consentClass);
            if (state != ConsentState.ABSENT) {
                return CompletableFuture.<Asked>completedFuture(new Asked.AlreadyDecided(state));
            }
            if (last.isPresent() && last.get().endedAt().isPresent()) {
                Instant askAgainAfter = last.get().endedAt().get().plus(coolDown);
                if (now.isBefore(askAgainAfter)) {
                    return CompletableFuture.<Asked>completedFuture(new Asked.CoolingDown(askAgainAfter));
                }
            }
            Status open = new Status(consentClass, now, now.plus(window), State.OPEN, Optional.empty());
            return requests.recordAsked(businessId, recipient, consentClass, now)
                    .<Asked>thenApply(recorded -> new Asked.Open(open));
        }).thenCompose(asked -> asked);
    }

    /** Where the business's latest request to the recipient for the class stands, if it ever asked. */
    public CompletableFuture<Optional<Status>> status(String businessId, PhoneNumber recipient,
                                                      ConsentClass consentClass) {
        return requests.lastAsked(businessId, recipient, consentClass).thenCompose(asked -> asked.isEmpty()
                ? CompletableFuture.completedFuture(Optional.empty())
                : consents.history(recipient).thenApply(history ->
                        Optional.of(status(asked.get(), history, businessId, consentClass))));
    }

    /** Every class the business ever asked the recipient for, and where each request stands. */
    public CompletableFuture<List<Status>> statuses(String businessId, PhoneNumber recipient) {
        List<CompletableFuture<Optional<Status>>> each = new java.util.ArrayList<>();
        for (ConsentClass consentClass : ConsentClass.values()) {
            each.add(status(businessId, recipient, consentClass));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture<?>[]::new)).thenApply(done ->
                each.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }

    private Status status(Instant askedAt, List<ConsentChange> history, String businessId,
                          ConsentClass consentClass) {
        Instant decideBy = askedAt.plus(window);
        for (ConsentChange change : decisionsAfter(history, businessId, consentClass, askedAt)) {
            if (change.at().isBefore(decideBy)) {
                State state = change.action() == ConsentAction.OPT_IN ? State.ACCEPTED : State.DECLINED;
                return new Status(consentClass, askedAt, decideBy, state, Optional.of(change.at()));
            }
        }
        if (clock.instant().isBefore(decideBy)) {
            return new Status(consentClass, askedAt, decideBy, State.OPEN, Optional.empty());
        }
        return new Status(consentClass, askedAt, decideBy, State.EXPIRED, Optional.of(decideBy));
    }

    /** The person's decisions on this business and class at or after the request, oldest first. */
    private static List<ConsentChange> decisionsAfter(List<ConsentChange> history, String businessId,
                                                      ConsentClass consentClass, Instant askedAt) {
        return history.stream()
                .filter(c -> c.businessId().equals(businessId) && !c.at().isBefore(askedAt))
                .filter(c -> c.action() == ConsentAction.BLOCK
                        || c.action().needsClass() && c.consentClass() == consentClass)
                .toList();
    }
}
