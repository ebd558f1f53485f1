package org.optline.storage.rocksdb;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.optline.core.campaign.CampaignStore;
import org.optline.core.consent.ConsentChangeFeed;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.consent.ConsentStore;
import org.optline.core.consent.LocalConsentChanges;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.inbox.Arrivals;
import org.optline.core.inbox.Inbox;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.storage.StorageEngine;
import org.optline.core.storage.StorageHealth;
import org.optline.core.storage.StoreBackup;
import org.optline.core.webhook.WebhookStore;

/**
 * The embedded durable engine of a single node: one RocksDB database in a directory, every
 * acknowledged write fsync'd by a group commit. Its consent change feed reports its own changes,
 * since on one node there is no other writer.
 */
public final class RocksStorageEngine implements StorageEngine {
    private final RocksStorage storage;
    private final LocalConsentChanges feed = new LocalConsentChanges();
    private final RocksConsentStore consents;
    private final RocksConsentRequestStore requests;
    private final RocksDeliveryQueues queues;
    private final RocksMessageHistory history;
    private final RocksIdempotencyRecords idempotency;
    private final RocksWebhooks webhooks;
    private final RocksLimitStore limits;
    private final RocksTemplateStore templates;
    private final RocksQualityStore quality;
    private final Arrivals arrivals = new Arrivals();
    private final RocksCampaignStore campaigns;

    private RocksStorageEngine(RocksStorage storage, InstantSource clock, Duration idempotencyWindow) {
        this.storage = storage;
        this.consents = new RocksConsentStore(storage, feed);
        this.requests = new RocksConsentRequestStore(storage);
        this.queues = new RocksDeliveryQueues(storage, arrivals);
        this.history = new RocksMessageHistory(storage, clock, idempotencyWindow);
        this.webhooks = new RocksWebhooks(storage);
        this.idempotency = new RocksIdempotencyRecords(storage, clock, idempotencyWindow);
        this.campaigns = new RocksCampaignStore(storage);
        this.limits = new RocksLimitStore(storage);
        this.templates = new RocksTemplateStore(storage);
        this.quality = new RocksQualityStore(storage);
    }

    /**
     * Opens (or, in a missing or empty directory, creates) the store with the recipients' keys in
     * a directory {@code keys} beside it (tests and tools; the gateway names its keys directory).
     */
    public static RocksStorageEngine open(Path directory, InstantSource clock, Duration idempotencyWindow) {
        return open(directory, RocksStorage.keysBeside(directory), clock, idempotencyWindow);
    }

    /**
     * Opens (or, in a missing or empty directory, creates) the store, with the recipients' secret
     * and data keys in {@code keysDirectory} (outside the data directory); moves a store of the
     * earlier layout to sealed numbers ({@link SealingMigration}) and the queues of the first
     * layout into the inbox ({@link LegacyQueueMigration}), if there are any.
     *
     * @param idempotencyWindow how long a first outcome answers a retry; older records are ignored
     * @throws org.optline.core.storage.StorageException when the store cannot be opened, saying why
     */
    public static RocksStorageEngine open(Path directory, Path keysDirectory, InstantSource clock,
                                          Duration idempotencyWindow) {
        RocksStorage storage = RocksStorage.open(directory, keysDirectory);
        try {
            new LegacyQueueMigration(storage).run();
            return new RocksStorageEngine(storage, clock, idempotencyWindow);
        } catch (RuntimeException e) {
            // Moving the first layout's queues failed: release the store, whose batches are each moved whole or not at all.
            storage.close();
            throw e;
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
        return queues;
    }

    @Override
    public Inbox inbox() {
        return queues;
    }

    @Override
    public MessageHistory history() {
        return history;
    }

    @Override
    public WebhookStore webhooks() {
        return webhooks;
    }

    @Override
    public Arrivals arrivals() {
        return arrivals;
    }

    @Override
    public IdempotencyRecords idempotency() {
        return idempotency;
    }

    @Override
    public RocksLimitStore limits() {
        return limits;
    }

    @Override
    public RocksTemplateStore templates() {
        return templates;
    }

    @Override
    public RocksQualityStore quality() {
        return quality;
    }

    @Override
    public ConsentChangeFeed consentChanges() {
        return feed;
    }

    @Override
    public CampaignStore campaigns() {
        return campaigns;
    }

    @Override
    public byte[] erasureSecret() {
        return storage.erasureSecret();
    }

    @Override
    public StorageHealth health() {
        return storage.health();
    }

    @Override
    public StoreBackup backup(Path directory) {
        return storage.backup(directory);
    }

    /** The store underneath, for tools and tests that look inside. */
    public RocksStorage storage() {
        return storage;
    }

    @Override
    public void close() {
        storage.close();
    }
}
