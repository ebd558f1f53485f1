package org.optline.core.testing;

import java.nio.file.Path;
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
import org.optline.core.storage.StorageEngine;
import org.optline.core.storage.StorageHealth;
import org.optline.core.storage.StoreBackup;
import org.optline.core.webhook.WebhookStore;

/** An engine that does what another does; a test overrides the one part it stands in for. */
public abstract class ForwardingStorageEngine implements StorageEngine {
    private final StorageEngine engine;

    protected ForwardingStorageEngine(StorageEngine engine) {
        this.engine = engine;
    }

    @Override
    public ConsentStore consents() {
        return engine.consents();
    }

    @Override
    public ConsentRequestStore consentRequests() {
        return engine.consentRequests();
    }

    @Override
    public LimitStore limits() {
        return engine.limits();
    }

    @Override
    public TemplateStore templates() {
        return engine.templates();
    }

    @Override
    public QualityStore quality() {
        return engine.quality();
    }

    @Override
    public DeliveryLog deliveryLog() {
        return engine.deliveryLog();
    }

    @Override
    public Inbox inbox() {
        return engine.inbox();
    }

    @Override
    public MessageHistory history() {
        return engine.history();
    }

    @Override
    public WebhookStore webhooks() {
        return engine.webhooks();
    }

    @Override
    public Arrivals arrivals() {
        return engine.arrivals();
    }

    @Override
    public CampaignStore campaigns() {
        return engine.campaigns();
    }

    @Override
    public IdempotencyRecords idempotency() {
        return engine.idempotency();
    }

    @Override
    public ConsentChangeFeed consentChanges() {
        return engine.consentChanges();
    }

    @Override
    public byte[] erasureSecret() {
        return engine.erasureSecret();
    }

    @Override
    public StorageHealth health() {
        return engine.health();
    }

    @Override
    public StoreBackup backup(Path directory) {
        return engine.backup(directory);
    }

    @Override
    public void close() {
        engine.close();
    }
}
