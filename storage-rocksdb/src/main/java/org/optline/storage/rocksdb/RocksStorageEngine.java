package org.optline.storage.rocksdb;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.optline.core.campaign.CampaignStore;
import org.optline.core.consent.ConsentChangeFeed;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.consent.ConsentStore;
import org.optline.core.consent.LocalConsentChanges;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.inbox.Inbox;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.storage.StorageEngine;

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
    private final RocksIdempotencyRecords idempotency;
    private final RocksCampaignStore campaigns;

    private RocksStorageEngine(RocksStorage storage, InstantSource clock, Duration idempotencyWindow) {
        this.storage = storage;
        this.consents = new RocksConsentStore(storage, feed);
        this.requests = new RocksConsentRequestStore(storage);
        this.queues = new RocksDeliveryQueues(storage);
        this.idempotency = new RocksIdempotencyRecords(storage, clock, idempotencyWindow);
        this.campaigns = new RocksCampaignStore(storage);
    }

    /**
     * Opens (or, in a missing or empty directory, creates) the store.
     *
     * @param idempotencyWindow how long a first outcome answers a retry; older records are ignored
     * @throws org.optline.core.storage.StorageException when the store cannot be opened, saying why
     */
    public static RocksStorageEngine open(Path directory, InstantSource clock, Duration idempotencyWindow) {
        return new RocksStorageEngine(RocksStorage.open(directory), clock, idempotencyWindow);
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
    public IdempotencyRecords idempotency() {
        return idempotency;
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

    /** The store underneath, for tools and tests that look inside. */
    public RocksStorage storage() {
        return storage;
    }

    @Override
    public void close() {
        storage.close();
    }
}
