package org.optline.core.storage;

import org.optline.core.campaign.CampaignStore;
import org.optline.core.consent.ConsentChangeFeed;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.consent.ConsentStore;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.inbox.Inbox;
import org.optline.core.queue.DeliveryLog;

/**
 * Everything a gateway node keeps, behind one seam: an engine implements it whole. The core
 * talks only to these interfaces, so an engine on RocksDB (one node), in memory (tests and
 * demos) or on Kafka (many nodes) can stand behind the same services.
 *
 * <p>Shaped for an engine whose log and views are apart: appending to the delivery log is
 * separate from reading an inbox; the idempotency record of an accepted message travels with
 * it; every read answers with a future; and consent changes are published on a feed, so that a
 * node's cache can drop what another node changed.
 */
public interface StorageEngine extends AutoCloseable {

    ConsentStore consents();

    ConsentRequestStore consentRequests();

    DeliveryLog deliveryLog();

    Inbox inbox();

    IdempotencyRecords idempotency();

    ConsentChangeFeed consentChanges();

    /** Campaigns, their audiences (on disk, never in the heap) and their progress. */
    CampaignStore campaigns();

    /** The key of the keyed hash under which erasures are recorded; stable for the engine's lifetime. */
    byte[] erasureSecret();

    /** Finishes the writes already taken, then releases the engine. */
    @Override
    void close();
}
