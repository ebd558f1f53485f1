package org.optline.storage.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.delivery.MessageRecord;
import org.optline.core.delivery.Settlement;
import org.optline.core.delivery.Transition;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.inbox.Inbox;
import org.optline.core.limit.AntiSpamCounts;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.webhook.OutboxEvent;
import org.optline.core.webhook.WebhookRegistration;
import org.optline.core.webhook.WebhookStore;
import org.optline.storage.rocksdb.RocksLimitStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery side of the engine, as every node's services see it: the same {@link DeliveryLog},
 * {@link Inbox}, {@link MessageHistory} and {@link WebhookStore} on every node, whoever owns the
 * partition concerned.
 *
 * <ul>
 *   <li>An append is written by the node that accepted the message, to the recipient's partition,
 *       and answered once Kafka acknowledged it and the partition's owner applied it: queued, or a
 *       repeat of an earlier message (a retry made on another node), which the log decided.</li>
 *   <li>What concerns one recipient (lease, release, settle, peek, erase) is done by the owner of the
 *       recipient's partition: here when it is this node, else forwarded to the owner over the peer
 *       listener ({@link Peers}); a request that finds no owner (a rebalance, a dead node) looks
 *       again until {@code kafka.request-timeout}.</li>
 *   <li>Sweeps (expiry, retention, the webhook outbox) run on each node over the partitions it owns.</li>
 *   <li>What is looked up by message id alone (a status) is asked of every node.</li>
 * </ul>
 */
final class KafkaDelivery implements DeliveryLog, Inbox, MessageHistory, WebhookStore, IdempotencyRecords {
    private static final Logger log = LoggerFactory.getLogger(KafkaDelivery.class);
    /** Peer operations. */
    private static final int RESULTS = 1;
    private static final int LEASE = 2;
    private static final int RELEASE = 3;
    private static final int SETTLE = 4;
    private static final int PEEK = 5;
    private static final int ERASE = 6;
    private static final int FIND = 7;
    private static final int RECORD = 8;
    private static final int RECORD_BY_CLIENT = 9;
    private static final int INTEREST = 10;
    private static final int ARRIVED = 11;

    /** Between two looks for an owner that is moving. */
    private static final long RETRY_MILLIS = 100;

    private final KafkaEngineContext context;
    private final DeliveryOwner owner;
    private final NodeDirectory directory;
    private final KafkaWebhookRegistrations registrations;
    private final IdempotencyRecords refusals;
    private final ScheduledExecutorService timer;
    private final Duration idempotencyWindow;
    private final AntiSpamPolicy caps;
    private final RocksLimitStore limits;
    private final Duration requestTimeout;
    private final String topic;
    private final int partitions;
    private Peers peers;
    private String self;
    private RemoteArrivals remoteArrivals;

    KafkaDelivery(KafkaEngineContext context, DeliveryOwner owner, NodeDirectory directory,
                  KafkaWebhookRegistrations registrations, IdempotencyRecords refusals, ScheduledExecutorService timer,
                  Duration idempotencyWindow, AntiSpamPolicy caps, RocksLimitStore limits, Duration requestTimeout) {
        this.caps = caps;
        this.limits = limits;
        this.context = context;
        this.owner = owner;
        this.directory = directory;
        this.registrations = registrations;
        this.refusals = refusals;
        this.timer = timer;
        this.idempotencyWindow = idempotencyWindow;
        this.requestTimeout = requestTimeout;
        this.topic = context.topics().name(Topics.DELIVERY);
        this.partitions = context.partitions(Topics.DELIVERY);
    }

    void peers(Peers connected) {
        this.peers = connected;
        this.self = connected.address();
    }

    void remoteArrivals(RemoteArrivals remote) {
        this.remoteArrivals = remote;
    }

    int partitionOf(PhoneNumber recipient) {
        return RecipientKeys.partition(context.keys().of(recipient), partitions);
    }

    boolean ownsRecipient(PhoneNumber recipient) {
        return owner.owns(partitionOf(recipient));
    }

    static byte[] interestRequest(String node, List<PhoneNumber> recipients) {
        return new Codec.Out().i8(INTEREST).str(node).strings(recipients.stream().map(PhoneNumber::e164).toList()).done();
    }

    static byte[] arrivedRequest(List<PhoneNumber> recipients) {
        return new Codec.Out().i8(ARRIVED).strings(recipients.stream().map(PhoneNumber::e164).toList()).done();
    }

    // ------------------------------------------------------------------ the log

    @Override
    public CompletableFuture<Void> append(List<Accepted> accepted) {
        return appendDecided(accepted).thenAccept(outcomes -> {});
    }

    @Override
    public CompletableFuture<List<Outcome>> appendDecided(List<Accepted> accepted) {
        List<CompletableFuture<RecordMetadata>> written = new ArrayList<>(accepted.size());
        for (Accepted each : accepted) {
            byte[] key = context.keys().of(each.message().recipient());
            written.add(context.send(new ProducerRecord<>(topic, RecipientKeys.partition(key, partitions), key,
                    DeliveryCommand.encode(new DeliveryCommand.Append(each, idempotencyWindow, caps)))));
        }
        return CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).handle((all, ignored) -> null)
                .thenCompose(all -> decide(accepted, written))
                .thenCompose(outcomes -> countQueued(accepted, outcomes));
    }

    /**
     * Keeps what the queued messages counted in this node's view of the anti-spam windows, before
     * admission settles them. The messages are in Kafka whatever happens here: a count this node
     * fails to keep is logged and only loosens its tier's count, never loses a message.
     */
    private CompletableFuture<List<Outcome>> countQueued(List<Accepted> accepted, List<Outcome> outcomes) {
        List<AntiSpamCounts> queued = new ArrayList<>();
        for (int i = 0; i < accepted.size(); i++) {
            Accepted each = accepted.get(i);
            if (!each.counts().isEmpty() && outcomes.get(i).equals(each.idempotency().outcome())) {
                queued.add(each.counts());
            }
        }
        if (queued.isEmpty()) {
            return CompletableFuture.completedFuture(outcomes);
        }
        return limits.record(queued).handle((done, failure) -> {
            if (failure != null) {
                log.warn("could not keep the anti-spam counts of {} queued messages on this node: {}", queued.size(),
                        failure.toString());
            }
            return outcomes;
        });
    }

    /** Asks each partition's owner what the appends that Kafka took came to; the others are retried by their senders. */
    private CompletableFuture<List<Outcome>> decide(List<Accepted> accepted, List<CompletableFuture<RecordMetadata>> written) {
        Outcome[] outcomes = new Outcome[accepted.size()];
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < accepted.size(); i++) {
            CompletableFuture<RecordMetadata> one = written.get(i);
            if (one.isCompletedExceptionally()) {
                outcomes[i] = Outcome.retryLater(accepted.get(i).message().clientMessageId(), Reason.OVERLOADED, 1_000,
                        "Kafka did not take the message; nothing was queued, retry with the same client_message_id");
            } else {
                byPartition.computeIfAbsent(one.join().partition(), p -> new ArrayList<>()).add(i);
            }
        }
        List<CompletableFuture<Void>> asked = new ArrayList<>();
        byPartition.forEach((partition, indexes) -> {
            List<Long> offsets = indexes.stream().map(i -> written.get(i).join().offset()).toList();
            asked.add(results(partition, offsets).handle((results, failure) -> {
                for (int k = 0; k < indexes.size(); k++) {
                    int i = indexes.get(k);
                    Accepted each = accepted.get(i);
                    Optional<Outcome> result = failure == null ? results.get(k) : null;
                    if (result == null) {
                        // In Kafka, but no owner said what it came to in time: the retry learns it.
                        outcomes[i] = Outcome.retryLater(each.message().clientMessageId(), Reason.OVERLOADED, 1_000,
                                "the message is stored but its outcome could not be confirmed; retry with the same"
                                        + " client_message_id to learn it");
                    } else {
                        outcomes[i] = result.orElse(each.idempotency().outcome());
                    }
                }
                return null;
            }));
        });
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(done -> List.of(outcomes));
    }

    /** Per offset: empty when queued, the outcome instead when not, null when the owner no longer knows. */
    private CompletableFuture<List<Optional<Outcome>>> results(int partition, List<Long> offsets) {
        Codec.Out request = new Codec.Out().i8(RESULTS).i32(partition).i32(offsets.size());
        offsets.forEach(request::i64);
        return atOwner(partition, () -> localResults(partition, offsets), request.done(), in -> {
            int n = in.i32();
            List<Optional<Outcome>> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int tag = in.i8();
                results.add(tag == 0 ? Optional.empty() : tag == 1 ? Optional.of(Codec.outcome(in)) : null);
            }
            return results;
        });
    }

    private CompletableFuture<List<Optional<Outcome>>> localResults(int partition, List<Long> offsets) {
        long last = offsets.stream().mapToLong(Long::longValue).max().orElse(-1);
        return owner.ready(partition, last).thenApply(view -> {
            List<Optional<Outcome>> results = new ArrayList<>(offsets.size());
            for (long offset : offsets) {
                results.add(view.resultOf(offset));
            }
            return results;
        });
    }

    private static byte[] encodeResults(List<Optional<Outcome>> results) {
        Codec.Out out = new Codec.Out().i32(results.size());
        for (Optional<Outcome> result : results) {
            if (result == null) {
                out.i8(2);
            } else if (result.isEmpty()) {
                out.i8(0);
            } else {
                Codec.outcome(out.i8(1), result.get());
            }
        }
        return out.done();
    }

    // ------------------------------------------------------------------ one recipient, at its owner

    @Override
    public CompletableFuture<List<QueuedMessage>> peek(PhoneNumber recipient, int max) {
        int partition = partitionOf(recipient);
        return atOwner(partition, () -> owner.ready(partition, -1).thenCompose(view -> view.inbox().peek(recipient, max)),
                new Codec.Out().i8(PEEK).str(recipient.e164()).i32(max).done(), Codec::messages);
    }

    @Override
    public CompletableFuture<Leased> lease(PhoneNumber recipient, long holder, int max, Instant now, Duration leaseFor) {
        int partition = partitionOf(recipient);
        Codec.Out request = new Codec.Out().i8(LEASE).str(recipient.e164()).i64(holder).i32(max).time(now);
        Codec.duration(request, leaseFor);
        return atOwner(partition, () -> owner.command(partition,
                        new DeliveryCommand.Lease(owner.nextId(), recipient, holder, max, now, leaseFor)),
                request.done(), Codec::leased);
    }

    @Override
    public CompletableFuture<Void> release(PhoneNumber recipient, long holder, Collection<String> messageIds) {
        int partition = partitionOf(recipient);
        List<String> ids = List.copyOf(messageIds);
        return atOwner(partition, () -> owner.command(partition,
                        new DeliveryCommand.Release(owner.nextId(), recipient, holder, ids)),
                new Codec.Out().i8(RELEASE).str(recipient.e164()).i64(holder).strings(ids).done(), in -> null);
    }

    @Override
    public CompletableFuture<List<Transition>> settle(PhoneNumber recipient, Collection<String> messageIds,
                                                      Settlement settlement, Instant at) {
        int partition = partitionOf(recipient);
        List<String> ids = List.copyOf(messageIds);
        Codec.Out request = new Codec.Out().i8(SETTLE).str(recipient.e164()).strings(ids);
        Codec.settlement(request, settlement);
        request.time(at);
        return atOwner(partition, () -> owner.command(partition,
                        new DeliveryCommand.Settle(owner.nextId(), recipient, ids, settlement, at)),
                request.done(), Codec::transitions);
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> erase(PhoneNumber recipient) {
        int partition = partitionOf(recipient);
        return atOwner(partition, () -> owner.command(partition, new DeliveryCommand.Erase(owner.nextId(), recipient)),
                new Codec.Out().i8(ERASE).str(recipient.e164()).done(), Codec::messages);
    }

    // ------------------------------------------------------------------ by message id: every node

    @Override
    public CompletableFuture<Optional<QueuedMessage>> find(String messageId) {
        return everywhere(() -> firstPresent(view -> view.inbox().find(messageId)),
                new Codec.Out().i8(FIND).str(messageId).done(), Codec::optionalMessage);
    }

    @Override
    public CompletableFuture<Optional<MessageRecord>> record(String messageId) {
        return everywhere(() -> firstPresent(view -> view.history().record(messageId)),
                new Codec.Out().i8(RECORD).str(messageId).done(), Codec::record);
    }

    @Override
    public CompletableFuture<Optional<MessageRecord>> recordByClientMessageId(String businessId, String clientMessageId) {
        return everywhere(() -> firstPresent(view -> view.history().recordByClientMessageId(businessId, clientMessageId)),
                new Codec.Out().i8(RECORD_BY_CLIENT).str(businessId).str(clientMessageId).done(), Codec::record);
    }

    /** The first view of this node that has it, once the views it owns are rebuilt. */
    private <T> CompletableFuture<Optional<T>> firstPresent(Function<PartitionView, CompletableFuture<Optional<T>>> look) {
        return owner.settled().thenApply(views -> {
            for (PartitionView view : views) {
                Optional<T> found = look.apply(view).join();
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        });
    }

    /** Here first, then every other live node at once; the first that has it answers. */
    private <T> CompletableFuture<Optional<T>> everywhere(Supplier<CompletableFuture<Optional<T>>> local, byte[] request,
                                                         Function<Codec.In, Optional<T>> decode) {
        return local.get().thenCompose(here -> {
            if (here.isPresent()) {
                return CompletableFuture.completedFuture(here);
            }
            List<CompletableFuture<Optional<T>>> asked = new ArrayList<>();
            for (NodeDirectory.Node node : directory.live()) {
                if (!node.peerAddress().equals(self)) {
                    asked.add(peers.call(node.peerAddress(), request).thenApply(answer -> decode.apply(new Codec.In(answer)))
                            .exceptionally(failure -> Optional.empty()));
                }
            }
            return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(done -> asked.stream()
                    .map(CompletableFuture::join).filter(Optional::isPresent).findFirst().orElse(Optional.empty()));
        });
    }

    // ------------------------------------------------------------------ sweeps: over the partitions owned here

    @Override
    public CompletableFuture<Expired> expire(Instant now, int max) {
        return overOwned(max, (partition, left) -> owner.<Expired>command(partition,
                new DeliveryCommand.Expire(owner.nextId(), now, left)), Expired::transitions, Expired::more)
                .thenApply(swept -> new Expired(swept.items(), swept.more()));
    }

    @Override
    public CompletableFuture<Purged> purge(Instant leftBefore, int max) {
        return overOwned(max, (partition, left) -> owner.<Purged>command(partition,
                        new DeliveryCommand.Purge(owner.nextId(), leftBefore, left)),
                purged -> java.util.Collections.nCopies(purged.purged(), Boolean.TRUE), Purged::more)
                .thenApply(swept -> new Purged(swept.items().size(), swept.more()));
    }

    @Override
    public CompletableFuture<Dropped> dropDeadLetters(Instant before, int max) {
        return overOwned(max, (partition, left) -> owner.<Dropped>command(partition,
                        new DeliveryCommand.DropDeadLetters(owner.nextId(), before, left)),
                dropped -> java.util.Collections.nCopies(dropped.dropped(), Boolean.TRUE), Dropped::more)
                .thenApply(swept -> new Dropped(swept.items().size(), swept.more()));
    }

    private record Swept<T>(List<T> items, boolean more) {}

    private interface PartitionStep<R> {
        CompletableFuture<R> run(int partition, int left);
    }

    /** One partition after the other, until {@code max} items or none left; a partition lost meanwhile is skipped. */
    private <R, T> CompletableFuture<Swept<T>> overOwned(int max, PartitionStep<R> step, Function<R, List<T>> items,
                                                         Function<R, Boolean> more) {
        return owner.settled().thenCompose(views -> overViews(views, max, step, items, more));
    }

    private <R, T> CompletableFuture<Swept<T>> overViews(List<PartitionView> views, int max, PartitionStep<R> step,
                                                         Function<R, List<T>> items, Function<R, Boolean> more) {
        CompletableFuture<Swept<T>> done = CompletableFuture.completedFuture(new Swept<>(List.of(), false));
        for (PartitionView view : views) {
            done = done.thenCompose(sofar -> {
                int left = max - sofar.items().size();
                if (left <= 0) {
                    return CompletableFuture.completedFuture(new Swept<>(sofar.items(), true));
                }
                return step.run(view.partition, left).handle((result, failure) -> {
                    if (failure != null) {
                        return sofar;
                    }
                    List<T> all = new ArrayList<>(sofar.items());
                    all.addAll(items.apply(result));
                    return new Swept<>(all, sofar.more() || more.apply(result));
                });
            });
        }
        return done;
    }

    // ------------------------------------------------------------------ webhooks

    @Override
    public CompletableFuture<Optional<WebhookRegistration>> registration(String businessId) {
        return CompletableFuture.completedFuture(registrations.get(businessId));
    }

    @Override
    public CompletableFuture<Void> register(WebhookRegistration registration) {
        return registrations.put(registration);
    }

    @Override
    public CompletableFuture<Optional<WebhookRegistration>> update(String businessId,
                                                                   UnaryOperator<Optional<WebhookRegistration>> change) {
        return registrations.update(businessId, change);
    }

    /** The registration goes, and every partition's outbox and dead letters of the business, whoever owns it. */
    @Override
    public CompletableFuture<Void> unregister(String businessId) {
        return registrations.remove(businessId).thenCompose(removed -> {
            List<CompletableFuture<?>> dropped = new ArrayList<>();
            for (int partition = 0; partition < partitions; partition++) {
                dropped.add(context.send(new ProducerRecord<>(topic, partition, null,
                        DeliveryCommand.encode(new DeliveryCommand.DropOutbox(owner.nextId(), businessId)))));
            }
            return CompletableFuture.allOf(dropped.toArray(CompletableFuture[]::new));
        });
    }

    @Override
    public CompletableFuture<Set<String>> businessesWithEvents() {
        return owner.settled().thenApply(views -> {
            Set<String> businesses = new TreeSet<>();
            for (PartitionView view : views) {
                businesses.addAll(view.webhooks().businessesWithEvents().join());
            }
            return businesses;
        });
    }

    /** One partition's events at a time, numbered with the partition, so that a removal names one partition. */
    @Override
    public CompletableFuture<List<OutboxEvent>> pending(String businessId, int max) {
        return owner.settled().thenApply(views -> {
            for (PartitionView view : views) {
                List<OutboxEvent> events = view.webhooks().pending(businessId, max).join();
                if (!events.isEmpty()) {
                    return view.numbered(events);
                }
            }
            return List.<OutboxEvent>of();
        });
    }

    @Override
    public CompletableFuture<Void> remove(String businessId, long throughSequence) {
        return outbox(DeliveryCommand.OutboxAction.REMOVE, businessId, throughSequence);
    }

    @Override
    public CompletableFuture<Void> deadLetter(String businessId, long throughSequence) {
        return outbox(DeliveryCommand.OutboxAction.DEAD_LETTER, businessId, throughSequence);
    }

    private CompletableFuture<Void> outbox(DeliveryCommand.OutboxAction action, String businessId, long numbered) {
        int partition = OutboxSequences.partition(numbered);
        return owner.<Object>command(partition, new DeliveryCommand.Outbox(owner.nextId(), action, businessId,
                OutboxSequences.sequence(numbered))).thenAccept(done -> {});
    }

    @Override
    public CompletableFuture<List<OutboxEvent>> deadLetters(String businessId, int max) {
        return owner.settled().thenApply(views -> {
            List<OutboxEvent> dead = new ArrayList<>();
            for (PartitionView view : views) {
                if (dead.size() >= max) {
                    break;
                }
                dead.addAll(view.numbered(view.webhooks().deadLetters(businessId, max - dead.size()).join()));
            }
            return dead;
        });
    }

    @Override
    public CompletableFuture<Integer> replay(String businessId, int max) {
        return overOwned(max, (partition, left) -> owner.<Integer>command(partition,
                        new DeliveryCommand.ReplayDeadLetters(owner.nextId(), businessId, left)),
                moved -> java.util.Collections.nCopies(moved, Boolean.TRUE), moved -> false)
                .thenApply(swept -> swept.items().size());
    }

    // ------------------------------------------------------------------ idempotency records

    /**
     * A first outcome this node knows: a refusal it decided itself, or an acceptance in a partition
     * it owns. Any other repeat is found by the log when it is appended ({@link #appendDecided}).
     */
    @Override
    public CompletableFuture<Optional<Outcome>> find(String businessId, String clientMessageId) {
        for (PartitionView view : owner.liveViews()) {
            Optional<Outcome> first = view.firstOutcome(businessId, clientMessageId);
            if (first.isPresent()) {
                return CompletableFuture.completedFuture(first);
            }
        }
        return refusals.find(businessId, clientMessageId);
    }

    @Override
    public void recordRefusal(IdempotencyRecord refusal) {
        refusals.recordRefusal(refusal);
    }

    // ------------------------------------------------------------------ routing to the owner

    /**
     * Runs {@code local} when this node owns the partition, else sends {@code request} to the node
     * that does; looks again (for up to the request timeout) while the partition moves.
     */
    private <T> CompletableFuture<T> atOwner(int partition, Supplier<CompletableFuture<T>> local, byte[] request,
                                             Function<Codec.In, T> decode) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        attempt(partition, local, request, decode, answer, System.nanoTime() + requestTimeout.toNanos());
        return answer;
    }

    private <T> void attempt(int partition, Supplier<CompletableFuture<T>> local, byte[] request,
                             Function<Codec.In, T> decode, CompletableFuture<T> answer, long deadline) {
        CompletableFuture<T> tried;
        if (owner.owns(partition)) {
            tried = local.get();
        } else {
            Optional<NodeDirectory.Node> found = directory.owner(partition);
            if (found.isEmpty() || found.get().peerAddress().equals(self)) {
                tried = CompletableFuture.failedFuture(new NotOwnerException(partition));
            } else {
                tried = peers.call(found.get().peerAddress(), request).thenApply(bytes -> decode.apply(new Codec.In(bytes)));
            }
        }
        tried.whenComplete((value, failure) -> {
            if (failure == null) {
                answer.complete(value);
            } else if (Peers.refused(failure) && System.nanoTime() < deadline) {
                timer.schedule(() -> attempt(partition, local, request, decode, answer, deadline), RETRY_MILLIS,
                        TimeUnit.MILLISECONDS);
            } else {
                answer.completeExceptionally(failure);
            }
        });
    }

    /** Answers a peer's request, with what this node owns; {@link NotOwnerException} otherwise. */
    CompletableFuture<byte[]> serve(byte[] body) {
        Codec.In in = new Codec.In(body);
        int op = in.i8();
        switch (op) {
            case RESULTS -> {
                int partition = in.i32();
                int n = in.i32();
                List<Long> offsets = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    offsets.add(in.i64());
                }
                return localResults(partition, offsets).thenApply(KafkaDelivery::encodeResults);
            }
            case LEASE -> {
                PhoneNumber recipient = Codec.phone(in.str());
                long holder = in.i64();
                int max = in.i32();
                Instant now = in.time();
                Duration leaseFor = Codec.duration(in);
                return owner.<Leased>command(partitionOf(recipient),
                                new DeliveryCommand.Lease(owner.nextId(), recipient, holder, max, now, leaseFor))
                        .thenApply(leased -> {
                            Codec.Out out = new Codec.Out();
                            Codec.leased(out, leased);
                            return out.done();
                        });
            }
            case RELEASE -> {
                PhoneNumber recipient = Codec.phone(in.str());
                long holder = in.i64();
                List<String> ids = in.strings();
                return owner.command(partitionOf(recipient),
                        new DeliveryCommand.Release(owner.nextId(), recipient, holder, ids)).thenApply(done -> new byte[0]);
            }
            case SETTLE -> {
                PhoneNumber recipient = Codec.phone(in.str());
                List<String> ids = in.strings();
                Settlement settlement = Codec.settlement(in);
                Instant at = in.time();
                return owner.<List<Transition>>command(partitionOf(recipient),
                                new DeliveryCommand.Settle(owner.nextId(), recipient, ids, settlement, at))
                        .thenApply(made -> {
                            Codec.Out out = new Codec.Out();
                            Codec.transitions(out, made);
                            return out.done();
                        });
            }
            case PEEK -> {
                PhoneNumber recipient = Codec.phone(in.str());
                int max = in.i32();
                int partition = partitionOf(recipient);
                return owner.ready(partition, -1).thenCompose(view -> view.inbox().peek(recipient, max))
                        .thenApply(messages -> {
                            Codec.Out out = new Codec.Out();
                            Codec.messages(out, messages);
                            return out.done();
                        });
            }
            case ERASE -> {
                PhoneNumber recipient = Codec.phone(in.str());
                return owner.<List<QueuedMessage>>command(partitionOf(recipient),
                        new DeliveryCommand.Erase(owner.nextId(), recipient)).thenApply(messages -> {
                            Codec.Out out = new Codec.Out();
                            Codec.messages(out, messages);
                            return out.done();
                        });
            }
            case FIND -> {
                String id = in.str();
                return firstPresent(view -> view.inbox().find(id)).thenApply(found -> {
                    Codec.Out out = new Codec.Out();
                    Codec.optionalMessage(out, found);
                    return out.done();
                });
            }
            case RECORD, RECORD_BY_CLIENT -> {
                Function<PartitionView, CompletableFuture<Optional<MessageRecord>>> look;
                if (op == RECORD) {
                    String id = in.str();
                    look = view -> view.history().record(id);
                } else {
                    String business = in.str();
                    String clientId = in.str();
                    look = view -> view.history().recordByClientMessageId(business, clientId);
                }
                return firstPresent(look).thenApply(found -> {
                    Codec.Out out = new Codec.Out();
                    Codec.record(out, found);
                    return out.done();
                });
            }
            case INTEREST -> {
                String node = in.str();
                remoteArrivals.interested(node, in.strings().stream().map(Codec::phone).toList());
                return CompletableFuture.completedFuture(new byte[0]);
            }
            case ARRIVED -> {
                remoteArrivals.told(in.strings().stream().map(Codec::phone).toList());
                return CompletableFuture.completedFuture(new byte[0]);
            }
            default -> {
                return CompletableFuture.failedFuture(new IllegalArgumentException("unknown peer operation " + op));
            }
        }
    }
}
