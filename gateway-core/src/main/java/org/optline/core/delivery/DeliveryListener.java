package org.optline.core.delivery;

import java.util.List;

/**
 * What the delivery side reports, for metrics and for the webhook dispatcher. The default does
 * nothing. Called on store threads and event loops: implementations must be quick and never block.
 */
public interface DeliveryListener {
    DeliveryListener NONE = new DeliveryListener() {};

    /** State changes made durable: deliveries, reads, expiries, failures. */
    default void onTransitions(List<Transition> transitions) {}

    /** A pull or push handed out {@code handedOut} messages, {@code leasesRunOut} of them again after a lease ran out. */
    default void onLeased(int handedOut, int leasesRunOut) {}

    /** One webhook request for {@code events} events ended this way. */
    default void onWebhookAttempt(WebhookAttempt outcome, int events) {}

    /** Events given up after every retry failed, moved to the dead letters. */
    default void onDeadLettered(int events) {}

    /** Periodic delivery work failed (a store that could not be read or written); the next tick tries again. */
    default void onFailure(Throwable failure) {}

    /**
     * A tick's expiry and retention sweeps ended: {@code behind} when its time ran out with more
     * due (the next tick goes on), false when it swept everything that was due.
     */
    default void onSwept(boolean behind) {}

    /** How a webhook request ended. */
    enum WebhookAttempt {
        /** The receiver answered 2xx: the events are delivered. */
        DELIVERED,
        /** The receiver answered another status. */
        REFUSED,
        /** No answer: the connection failed or the request timed out. */
        UNREACHABLE
    }

    /** Both listeners, in order. */
    static DeliveryListener both(DeliveryListener first, DeliveryListener second) {
        return new DeliveryListener() {
            @Override
            public void onTransitions(List<Transition> transitions) {
                first.onTransitions(transitions);
                second.onTransitions(transitions);
            }

            @Override
            public void onLeased(int handedOut, int leasesRunOut) {
                first.onLeased(handedOut, leasesRunOut);
                second.onLeased(handedOut, leasesRunOut);
            }

            @Override
            public void onWebhookAttempt(WebhookAttempt outcome, int events) {
                first.onWebhookAttempt(outcome, events);
                second.onWebhookAttempt(outcome, events);
            }

            @Override
            public void onDeadLettered(int events) {
                first.onDeadLettered(events);
                second.onDeadLettered(events);
            }

            @Override
            public void onFailure(Throwable failure) {
                first.onFailure(failure);
                second.onFailure(failure);
            }

            @Override
            public void onSwept(boolean behind) {
                first.onSwept(behind);
                second.onSwept(behind);
            }
        };
    }
}
