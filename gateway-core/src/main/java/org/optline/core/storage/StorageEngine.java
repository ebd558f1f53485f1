package org.optline.core.storage;

import org.optline.core.campaign.CampaignStore;
import org.optline.core.consent.ConsentChangeFeed;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.consent.ConsentStore;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.inbox.Arrivals;
import org.optline.core.inbox.Inbox;
import org.optline.core.limit.LimitStore;
import org.optline.core.quality.QualityStore;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.template.TemplateStore;
import org.optline.core.webhook.WebhookStore;

/**
 * Everything a gateway node keeps, behind one seam: an engine implements it whole. The core
 * talks only to these interfaces, so an engine on RocksDB (one node), in memory (tests and
 * demos) or on Kafka (many nodes) can stand behind the same services.
 *
 * <p>Shaped for an engine whose log and views are apart: appending to the delivery log is
 * separate from reading an inbox; the idempotency record of an accepted message travels with
 * it; every read answers with a future; and consent changes are published on a feed, so that a
 * node's cache can drop what another node changed. A message's life after it is queued is
 * written as records too: leases and releases, and each state transition, which becomes the
 * message's status and a webhook event in the same atomic step. What an accepted message counted
 * against the anti-spam limits is appended with it too, so that the limits hold exactly what was
 * acknowledged.
 */
public interface StorageEngine extends AutoCloseable {

    ConsentStore consents();

    ConsentRequestStore consentRequests();

    DeliveryLog deliveryLog();

    Inbox inbox();

    /** The statuses of messages, queued or retained after they left their queue. */
    MessageHistory history();

    /** Webhook registrations, the outbox the inbox's transitions fill, dead letters. */
    WebhookStore webhooks();

    /** Who has new messages to hand out, for push subscriptions and long-polls. */
    Arrivals arrivals();

    IdempotencyRecords idempotency();

    /**
     * The anti-spam windows: last contacts per business and recipient (with their time index) and
     * each recipient's marketing messages. Written by {@link #deliveryLog()} with the messages.
     */
    LimitStore limits();

    /** The templates businesses registered through the API. */
    TemplateStore templates();

    /** Recipients' feedback per business, the businesses' standings and their events. */
    QualityStore quality();

    ConsentChangeFeed consentChanges();

    /** Campaigns, their audiences (on disk, never in the heap) and their progress. */
    CampaignStore campaigns();

    /** The key of the keyed hash under which erasures are recorded; stable for the engine's lifetime. */
    byte[] erasureSecret();

    /**
     * Whether the engine takes writes and serves its data whole. Called once, by the node that
     * watches it; an engine that never finds a fault may keep this default, a health that stays good.
     */
    default StorageHealth health() {
        return new StorageHealth();
    }

    /**
     * Copies everything the engine keeps, consistently and while it runs, into {@code directory}
     * (which must not exist yet; its parent must). Blocks until the copy is made and checked:
     * call it on a thread that may wait. An engine with nothing on disk cannot.
     *
     * @throws UnsupportedOperationException when the engine keeps nothing to copy
     * @throws StorageUnavailableException when the disk cannot take the copy now
     * @throws StorageException when the copy fails otherwise, saying why
     */
    default StoreBackup backup(java.nio.file.Path directory) {
        throw new UnsupportedOperationException("this node keeps its data in memory: there is nothing to back up");
    }

    /**
     * How many gateway nodes share this engine's data now, this one included: 1 for an engine of
     * one node. Each node takes its share of a business's throughput limit.
     */
    default int nodes() {
        return 1;
    }

    /** Finishes the writes already taken, then releases the engine. */
    @Override
    void close();
}
