package org.optline.storage.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.optline.core.campaign.CampaignStore;
import org.optline.core.consent.ConsentChangeFeed;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.consent.ConsentStore;
import org.optline.core.consent.LocalConsentChanges;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.inbox.Arrivals;
import org.optline.core.inbox.Inbox;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.limit.LimitStore;
import org.optline.core.quality.QualityStore;
import org.optline.core.template.TemplateStore;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.storage.StorageEngine;
import org.optline.core.storage.StorageException;
import org.optline.core.storage.StoreBackup;
import org.optline.core.webhook.WebhookStore;
import org.optline.storage.rocksdb.RocksStorage;
import org.optline.storage.rocksdb.RocksStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of gateway nodes that share their state through Apache Kafka (SPEC section 6): the
 * nodes themselves keep nothing that Kafka does not have, except what is said below, so any
 * node can be killed and another carries on.
 *
 * <ul>
 *   <li>Accepted messages and every change to the inboxes are records of the delivery topic,
 *       partitioned by recipient; each partition is owned by one node at a time (a consumer
 *       group), which rebuilds its inbox from the partition and answers for it
 *       ({@link KafkaDelivery}, {@link DeliveryOwner}).</li>
 *   <li>Consents, consent requests, webhooks, templates and the nodes' addresses are compacted
 *       topics every node reads whole ({@link TableReader}); so is recipients' feedback (a topic
 *       deleted after the retention).</li>
 *   <li>Per node, in a local RocksDB store under {@code kafka.local-dir}: campaigns (a campaign is
 *       run and read through the node it was created on), the refusals this node decided (a
 *       retry of a refused message on another node is judged afresh), this node's view of the
 *       anti-spam windows (what it accepted) and the standings its quality service decided.</li>
 * </ul>
 */
public final class KafkaStorageEngine implements StorageEngine {
    private static final Logger log = LoggerFactory.getLogger(KafkaStorageEngine.class);

    private final String nodeId = UUID.randomUUID().toString();
    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService timer;
    private final KafkaEngineContext context;
    private final LocalConsentChanges feed = new LocalConsentChanges();
    private final KafkaConsentStore consents;
    private final KafkaConsentRequests requests;
    private final KafkaWebhookRegistrations registrations;
    private final KafkaTemplateStore templates;
    private final KafkaQualityStore quality;
    private final NodeDirectory directory = new NodeDirectory();
    private final ClusterSecret secret = new ClusterSecret();
    private final TableReader tables;
    private final Arrivals arrivals = new Arrivals();
    private final RocksStorageEngine local;
    private final DeliveryOwner owner;
    private final KafkaDelivery delivery;
    private final Peers peers;
    private final byte[] erasureSecret;
    private boolean closed;

    private KafkaStorageEngine(KafkaSettings settings, Path keysDirectory, InstantSource clock,
                               Duration idempotencyWindow, AntiSpamPolicy caps) {
        Topics topics = new Topics(settings);
        Map<String, Integer> partitions = topics.ensure();
        this.callbacks = Executors.newFixedThreadPool(2, named("optline-kafka-callback"));
        this.timer = Executors.newSingleThreadScheduledExecutor(named("optline-kafka-timer"));
        this.producer = new KafkaProducer<>(topics.producer("optline-" + nodeId));
        this.context = new KafkaEngineContext(topics, producer, partitions, callbacks);
        this.consents = new KafkaConsentStore(context, feed);
        this.requests = new KafkaConsentRequests(context);
        this.registrations = new KafkaWebhookRegistrations(context);
        this.templates = new KafkaTemplateStore(context);
        this.local = RocksStorageEngine.open(settings.localDirectory(), keysDirectory, clock, idempotencyWindow);
        this.quality = new KafkaQualityStore(context, nodeId, local.quality());
        this.tables = new TableReader(topics, "optline-tables-" + nodeId, Map.of(
                topics.name(Topics.META), secret,
                topics.name(Topics.NODES), directory,
                topics.name(Topics.CONSENTS), consents,
                topics.name(Topics.REQUESTS), requests,
                topics.name(Topics.WEBHOOKS), registrations,
                topics.name(Topics.TEMPLATES), templates,
                topics.name(Topics.QUALITY), quality), callbacks);
        context.tables(tables);
        tables.start();
        byte[] shared;
        try {
            shared = await(tables.caughtUp().thenCompose(read -> secret.get() != null
                    ? java.util.concurrent.CompletableFuture.completedFuture(null)
                    : context.send(new ProducerRecord<>(topics.name(Topics.META), 0, ClusterSecret.newKey(),
                            ClusterSecret.newSecret())).thenCompose(written -> tables.applied(
                                    new TopicPartition(written.topic(), written.partition()), written.offset())))
                    .thenApply(ready -> secret.get()), settings);
        } catch (StorageException e) {
            tables.close();
            local.close();
            throw e;
        }
        context.keys(new RecipientKeys(shared));
        this.erasureSecret = derive(shared, "erasure");
        try {
            this.owner = new DeliveryOwner(context, nodeId, "", arrivals, settings.requestTimeout());
            this.delivery = new KafkaDelivery(context, owner, directory, registrations, local.idempotency(), timer,
                    idempotencyWindow, caps, local.limits(), settings.requestTimeout());
            this.peers = new Peers(settings.peerHost(), settings.peerPort(), settings.advertisedHost(),
                    derive(shared, "peers"), settings.requestTimeout(), delivery::serve);
        } catch (IOException e) {
            local.close();
            throw new StorageException("cannot listen for peers on " + settings.peerHost() + ":" + settings.peerPort()
                    + ": " + e.getMessage(), e);
        }
        delivery.peers(peers);
        RemoteArrivals remote = new RemoteArrivals(delivery, directory, arrivals);
        delivery.remoteArrivals(remote);
        arrivals.watch(remote);
        arrivals.subscribe(remote::arrivedHere);
        remote.start(peers, timer);
        owner.address(peers.address());
        owner.start();
        try {
            // Serve from the first request on: wait for this node's first partitions (bounded; they may come later).
            owner.firstAssignment().get(settings.sessionTimeout().toMillis() * 2 + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("no delivery partitions were assigned to this node yet; requests wait for their owners");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Kafka engine of node {} on {}: topics {}.*, peers reach it at {}", nodeId,
                settings.bootstrapServers(), settings.topicPrefix(), peers.address());
    }

    /**
     * Connects to Kafka, makes the topics that are missing, reads the shared tables to their end and
     * joins the group that shares the delivery partitions out; the node may take work when this
     * returns (its partitions are rebuilt meanwhile, and requests for them wait).
     *
     * @param caps the marketing caps and their window, which the owner of a recipient's partition
     *     enforces over every node's messages (they travel with each message)
     * @throws StorageException when Kafka cannot be reached or the peer port not bound, saying why
     */
    public static KafkaStorageEngine open(KafkaSettings settings, InstantSource clock, Duration idempotencyWindow,
                                          AntiSpamPolicy caps) {
        return open(settings, RocksStorage.keysBeside(settings.localDirectory()), clock, idempotencyWindow, caps);
    }

    /**
     * The same, with the recipients' secret and data keys of the node's own store (its campaigns
     * and its view of the anti-spam windows) in {@code keysDirectory}, outside the data directory.
     */
    public static KafkaStorageEngine open(KafkaSettings settings, Path keysDirectory, InstantSource clock,
                                          Duration idempotencyWindow, AntiSpamPolicy caps) {
        return new KafkaStorageEngine(settings, keysDirectory, clock, idempotencyWindow, caps);
    }

    /** The same with the default marketing caps. */
    public static KafkaStorageEngine open(KafkaSettings settings, InstantSource clock, Duration idempotencyWindow) {
        return open(settings, clock, idempotencyWindow, AntiSpamPolicy.DEFAULTS);
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future, KafkaSettings settings) {
        try {
            return future.get(settings.requestTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new StorageException("cannot read the shared tables from Kafka at " + settings.bootstrapServers()
                    + ": " + (e.getCause() == null ? e : e.getCause()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while reading the shared tables", e);
        }
    }

    private static byte[] derive(byte[] secret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public ConsentStore consents() {
        return consents;
    }

    @Override
    public ConsentRequestStore consentRequests() {
        return requests;
    }

    @Override
    public DeliveryLog deliveryLog() {
        return delivery;
    }

    @Override
    public Inbox inbox() {
        return delivery;
    }

    @Override
    public MessageHistory history() {
        return delivery;
    }

    @Override
    public WebhookStore webhooks() {
        return delivery;
    }

    @Override
    public Arrivals arrivals() {
        return arrivals;
    }

    @Override
    public IdempotencyRecords idempotency() {
        return delivery;
    }

    @Override
    public ConsentChangeFeed consentChanges() {
        return feed;
    }

    /**
     * This node's view of the anti-spam windows, in its local store: the contacts and marketing
     * messages of the messages this node accepted and the log queued. The marketing caps and the
     * duplicate-content rule are decided again, exactly and over every node's messages, by the owner
     * of the recipient's partition; the tier's unique recipients are counted per node (the bound is
     * in the operations guide).
     */
    @Override
    public LimitStore limits() {
        return local.limits();
    }

    /** Templates registered through the API: a compacted topic every node reads, in effect on every node. */
    @Override
    public TemplateStore templates() {
        return templates;
    }

    /**
     * Recipients' feedback, shared: a topic every node reads, so that every node rates a business on
     * the whole cluster's feedback; the standings it makes are kept per node (see the operations guide).
     */
    @Override
    public QualityStore quality() {
        return quality;
    }

    @Override
    public CampaignStore campaigns() {
        return local.campaigns();
    }

    /** The same on every node of the deployment: derived from the secret in the meta topic. */
    @Override
    public byte[] erasureSecret() {
        return erasureSecret.clone();
    }

    /** The gateway nodes heard from lately, this one included: each takes its share of a throughput limit. */
    @Override
    public int nodes() {
        return Math.max(1, directory.liveCount());
    }

    /** This node's id in the nodes topic and the consumer group. */
    public String nodeId() {
        return nodeId;
    }

    /** The delivery partition of a recipient (the same on every node): for tools and tests. */
    public int partitionOf(org.optline.core.recipient.PhoneNumber recipient) {
        return delivery.partitionOf(recipient);
    }

    /** The delivery partitions this node owns now. */
    public java.util.Set<Integer> ownedPartitions() {
        return owner.owned();
    }

    @Override
    public StoreBackup backup(Path directory) {
        throw new UnsupportedOperationException("on Kafka the messages and consents live in the Kafka cluster: back up"
                + " the cluster (replicate its topics, e.g. with MirrorMaker 2); this node keeps only its campaigns");
    }

    /**
     * Leaves the group (its partitions move at once, not after the session timeout), then stops
     * reading, flushes the producer and closes the local store.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        owner.close();
        owner.forget();
        peers.close();
        tables.close();
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("closing the Kafka producer: {}", e.toString());
        }
        timer.shutdownNow();
        callbacks.shutdown();
        local.close();
    }

    /**
     * Stops as a crash would, for tests: no leaving the group (the partitions move only after the
     * session timeout), no goodbye in the nodes topic, nothing flushed.
     */
    public synchronized void halt() {
        if (closed) {
            return;
        }
        closed = true;
        owner.halt();
        peers.close();
        tables.close();
        producer.close(Duration.ZERO);
        timer.shutdownNow();
        callbacks.shutdownNow();
        local.close();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

}
