package org.optline.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.InstantSource;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.campaign.CampaignService;
import org.optline.core.consent.ConsentService;
import org.optline.core.erasure.ErasureService;
import org.optline.core.inbox.InboxService;
import org.optline.core.limit.MarketingBudgets;
import org.optline.core.quality.FeedbackService;
import org.optline.core.quality.QualityService;
import org.optline.core.status.MessageStatusService;
import org.optline.core.storage.BackupService;
import org.optline.core.submission.SubmissionService;
import org.optline.core.template.TemplateService;
import org.optline.core.webhook.WebhookService;
import org.optline.server.config.GatewayConfig;
import org.optline.server.guard.Guards;
import org.optline.server.tls.TlsContexts;

/**
 * What the listeners need from the node: the transport-neutral services they call, the
 * directory that authenticates keys, the lifecycle, the metrics registry, the guards that
 * protect the node from its clients, and TLS. A listener adds no
 * rule of its own; whatever a new transport needs is one of these services.
 */
public record ServerContext(
        GatewayConfig config,
        InstantSource clock,
        BusinessDirectory directory,
        SubmissionService submissions,
        ConsentService consents,
        InboxService inbox,
        ErasureService erasure,
        MessageStatusService messageStatus,
        WebhookService webhooks,
        BackupService backups,
        CampaignService campaigns,
        Uploads uploads,
        TemplateService templates,
        QualityService quality,
        FeedbackService feedback,
        MarketingBudgets budgets,
        Lifecycle lifecycle,
        PrometheusMeterRegistry registry,
        Guards guards,
        TlsContexts tls) {}
