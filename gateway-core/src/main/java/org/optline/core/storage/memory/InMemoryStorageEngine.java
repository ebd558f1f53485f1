package org.optline.core.storage.memory;

import java.security.SecureRandom;
import org.optline.core.campaign.CampaignStore;
import org.optline.core.consent.ConsentChangeFeed;
import org.optline.core.consent.ConsentRequestStore;
import org.optline.core.consent.ConsentStore;
import org.optline.core.consent.LocalConsentChanges;
import org.optline.core.delivery.MessageHistory;
import org.optline.core.idempotency.IdempotencyRecords;
import org.optline.core.inbox.Arrivals;
import org.optline.core.inbox.Inbox;
import org.optline.core.limit.HeapLimitStore;
import org.optline.core.queue.DeliveryLog;
import org.optline.core.storage.StorageEngine;
import org.optline.core.webhook.WebhookStore;

/**
 * Everything in the heap, lost at exit: for tests and the {@code --ephemeral} demo mode. Not for
 * sustained load: queues and the idempotency window grow with traffic.
 */
public final class InMemoryStorageEngine implements StorageEngine {
    private final LocalConsentChanges feed = new LocalConsentChanges();
    private final InMemoryConsentStore consents = new InMemoryConsentStore(feed);
    private final InMemoryConsentRequestStore requests = new InMemoryConsentRequestStore();
    private final InMemoryDeliveryQueues queues = new InMemoryDeliveryQueues();
    private final InMemoryCampaignStore campaigns = new InMemoryCampaignStore();
    private final HeapLimitStore limits = new HeapLimitStore();
    private final DeliveryLog log = limits.recording(queues);
    private final InMemoryTemplateStore templates = new InMemoryTemplateStore();
    private final InMemoryQualityStore quality = new InMemoryQualityStore();
    private final byte[] erasureSecret = new byte[32];

    public InMemoryStorageEngine() {
        new SecureRandom().nextBytes(erasureSecret);
    }

    @Override
    public InMemoryConsentStore consents() {
        return consents;
    }

    @Override
    public ConsentRequestStore consentRequests() {
        return requests;
    }

    /** The queues, which also record what each message counted against the limits. */
    @Override
    public DeliveryLog deliveryLog() {
        return log;
    }

    @Override
    public Inbox inbox() {
        return queues;
    }

    /** The queues as both log and inbox, for tests that look inside. */
    public InMemoryDeliveryQueues queues() {
        return queues;
    }

    @Override
    public MessageHistory history() {
        return queues;
    }

    @Override
    public WebhookStore webhooks() {
        return queues.webhooks();
    }

    @Override
    public Arrivals arrivals() {
        return queues.arrivals();
    }

    @Override
    public IdempotencyRecords idempotency() {
        return IdempotencyRecords.NONE;
    }

    @Override
    public HeapLimitStore limits() {
        return limits;
    }

    @Override
    public InMemoryTemplateStore templates() {
        return templates;
    }

    @Override
    public InMemoryQualityStore quality() {
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
        return erasureSecret.clone();
    }

    @Override
    public void close() {}
}
