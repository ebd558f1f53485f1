package org.optline.core.storage.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.optline.core.delivery.Transition;
import org.optline.core.webhook.OutboxEvent;
import org.optline.core.webhook.WebhookRegistration;
import org.optline.core.webhook.WebhookStore;

/** Webhook registrations, outboxes and dead letters in the heap: for tests and the ephemeral mode. */
public final class InMemoryWebhooks implements WebhookStore {
    private final Map<String, WebhookRegistration> registrations = new HashMap<>();
    private final Map<String, ArrayDeque<OutboxEvent>> outboxes = new HashMap<>();
    private final Map<String, ArrayDeque<OutboxEvent>> deadLetters = new HashMap<>();
    private long sequence;

    /** Puts a transition in its business's outbox (called by the queues, under their lock). */
    synchronized void enqueue(Transition transition) {
        outboxes.computeIfAbsent(transition.businessId(), b -> new ArrayDeque<>())
                .addLast(new OutboxEvent(++sequence, transition));
    }

    @Override
    public synchronized CompletableFuture<Optional<WebhookRegistration>> registration(String businessId) {
        return completedFuture(Optional.ofNullable(registrations.get(businessId)));
    }

    @Override
    public synchronized CompletableFuture<Void> register(WebhookRegistration registration) {
        registrations.put(registration.businessId(), registration);
        return completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Optional<WebhookRegistration>> update(String businessId,
            UnaryOperator<Optional<WebhookRegistration>> change) {
        Optional<WebhookRegistration> changed = change.apply(Optional.ofNullable(registrations.get(businessId)));
        changed.ifPresent(registration -> registrations.put(businessId, registration));
        return completedFuture(changed);
    }

    @Override
    public synchronized CompletableFuture<Void> unregister(String businessId) {
        registrations.remove(businessId);
        outboxes.remove(businessId);
        deadLetters.remove(businessId);
        return completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Set<String>> businessesWithEvents() {
        Set<String> businesses = new TreeSet<>();
        outboxes.forEach((business, events) -> {
            if (!events.isEmpty()) {
                businesses.add(business);
            }
        });
        return completedFuture(businesses);
    }

    @Override
    public synchronized CompletableFuture<List<OutboxEvent>> pending(String businessId, int max) {
        return completedFuture(first(outboxes.get(businessId), max));
    }

    @Override
    public synchronized CompletableFuture<Void> remove(String businessId, long throughSequence) {
        ArrayDeque<OutboxEvent> events = outboxes.get(businessId);
        while (events != null && !events.isEmpty() && events.peekFirst().sequence() <= throughSequence) {
            events.pollFirst();
        }
        return completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> deadLetter(String businessId, long throughSequence) {
        ArrayDeque<OutboxEvent> events = outboxes.get(businessId);
        ArrayDeque<OutboxEvent> dead = deadLetters.computeIfAbsent(businessId, b -> new ArrayDeque<>());
        while (events != null && !events.isEmpty() && events.peekFirst().sequence() <= throughSequence) {
            dead.addLast(events.pollFirst());
        }
        return completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<List<OutboxEvent>> deadLetters(String businessId, int max) {
        return completedFuture(first(deadLetters.get(businessId), max));
    }

    @Override
    public synchronized CompletableFuture<Integer> replay(String businessId, int max) {
        ArrayDeque<OutboxEvent> dead = deadLetters.get(businessId);
        int moved = 0;
        while (dead != null && !dead.isEmpty() && moved < max) {
            enqueue(dead.pollFirst().transition());
            moved++;
        }
        return completedFuture(moved);
    }

    @Override
    public synchronized CompletableFuture<Dropped> dropDeadLetters(Instant before, int max) {
        int dropped = 0;
        for (ArrayDeque<OutboxEvent> dead : deadLetters.values()) {
            while (!dead.isEmpty() && dead.peekFirst().transition().at().isBefore(before)) {
                if (dropped == max) {
                    return completedFuture(new Dropped(dropped, true));
                }
                dead.pollFirst();
                dropped++;
            }
        }
        deadLetters.values().removeIf(ArrayDeque::isEmpty);
        return completedFuture(new Dropped(dropped, false));
    }

    private static List<OutboxEvent> first(ArrayDeque<OutboxEvent> events, int max) {
        List<OutboxEvent> first = new ArrayList<>();
        if (events != null) {
            for (OutboxEvent event : events) {
                if (first.size() == max) {
                    break;
                }
                first.add(event);
            }
        }
        return first;
    }
}
