package org.optline.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.optline.core.delivery.DeliveryListener;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the delivery side to Micrometer: {@code optline.delivery.transitions} counts messages by
 * the state they reached, {@code optline.delivery.latency} is the time from accepted to delivered
 * (a percentile histogram, so nodes aggregate), {@code optline.inbox.leased} and
 * {@code optline.inbox.lease.expiries} count hand-outs and leases that ran out unacknowledged,
 * {@code optline.webhook.attempts} counts requests by outcome and {@code optline.webhook.dead.letters}
 * events given up, {@code optline.delivery.sweep.behind} whether the periodic sweeps keep up. Tags are
 * bounded enums only.
 */
public final class MicrometerDeliveryListener implements DeliveryListener {
    private static final Logger log = LoggerFactory.getLogger(MicrometerDeliveryListener.class);

    private final Map<MessageState, Counter> transitions = new EnumMap<>(MessageState.class);
    private final Timer latency;
    private final Counter leased;
    private final Counter leaseExpiries;
    private final Map<WebhookAttempt, Counter> attempts = new EnumMap<>(WebhookAttempt.class);
    private final Map<WebhookAttempt, Counter> attemptedEvents = new EnumMap<>(WebhookAttempt.class);
    private final Counter deadLetters;
    private final Counter failures;
    /** 1 while the last tick's sweeps ran out of time with expiries or statuses still due. */
    private final AtomicInteger sweepBehind = new AtomicInteger();

    public MicrometerDeliveryListener(MeterRegistry registry) {
        for (MessageState state : MessageState.values()) {
            if (state != MessageState.QUEUED) {
                transitions.put(state, Counter.builder("optline.delivery.transitions")
                        .description("Messages that reached a state after queued (QUEUED is the ACCEPTED outcomes)")
                        .tag("state", state.name())
                        .register(registry));
            }
        }
        latency = Timer.builder("optline.delivery.latency")
                .description("From a message accepted to its delivery acknowledged")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofDays(7))
                .register(registry);
        leased = Counter.builder("optline.inbox.leased")
                .description("Messages handed out under a lease (pull or push)").register(registry);
        leaseExpiries = Counter.builder("optline.inbox.lease.expiries")
                .description("Messages handed out again because their lease ran out unacknowledged").register(registry);
        for (WebhookAttempt outcome : WebhookAttempt.values()) {
            String tag = outcome.name().toLowerCase(Locale.ROOT);
            attempts.put(outcome, Counter.builder("optline.webhook.attempts")
                    .description("Webhook requests, by outcome").tag("outcome", tag).register(registry));
            attemptedEvents.put(outcome, Counter.builder("optline.webhook.events")
                    .description("Events carried by webhook requests, by the request's outcome").tag("outcome", tag)
                    .register(registry));
        }
        deadLetters = Counter.builder("optline.webhook.dead.letters")
                .description("Events given up after every retry and kept as dead letters").register(registry);
        failures = Counter.builder("optline.delivery.failures")
                .description("Periodic delivery work (expiry, retention, webhooks) that failed and waits for the next tick")
                .register(registry);
        Gauge.builder("optline.delivery.sweep.behind", sweepBehind, AtomicInteger::get)
                .description("1 when the last delivery tick ran out of time with expiries or retention still due")
                .register(registry);
    }

    @Override
    public void onTransitions(List<Transition> made) {
        for (Transition transition : made) {
            transitions.get(transition.state()).increment();
            if (transition.state() == MessageState.DELIVERED && transition.acceptedAt() != null) {
                Duration took = Duration.between(transition.acceptedAt(), transition.at());
                if (!took.isNegative()) {
                    latency.record(took);
                }
            }
        }
    }

    @Override
    public void onLeased(int handedOut, int leasesRunOut) {
        leased.increment(handedOut);
        leaseExpiries.increment(leasesRunOut);
    }

    @Override
    public void onWebhookAttempt(WebhookAttempt outcome, int events) {
        attempts.get(outcome).increment();
        attemptedEvents.get(outcome).increment(events);
    }

    @Override
    public void onDeadLettered(int events) {
        deadLetters.increment(events);
    }

    @Override
    public void onSwept(boolean behind) {
        sweepBehind.set(behind ? 1 : 0);
    }

    @Override
    public void onFailure(Throwable failure) {
        failures.increment();
        // The engine's message names the store and what failed, never a number.
        log.warn("delivery work failed; the next tick tries again: {}", failure.toString());
    }
}
