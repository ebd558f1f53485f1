package org.optline.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import org.optline.core.admission.AdmissionPipeline;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.consent.ConsentRequests;
import org.optline.core.consent.ConsentStore;
import org.optline.core.queue.DeliveryQueues;
import org.optline.server.config.GatewayConfig;

/**
 * What the listeners' handlers need from the node: the core services, the executor for store
 * operations that may block, the lifecycle and the metrics registry.
 *
 * @param erasureSecret the key of the keyed hash that records erasures without the number
 * @param storeExecutor runs the API's store reads and writes off the event loops; its own pool,
 *     so that a flood of submissions saturating admission never keeps an opt-out from being recorded
 */
public record ServerContext(
        GatewayConfig config,
        InstantSource clock,
        BusinessDirectory directory,
        AdmissionPipeline admission,
        ConsentStore consents,
        ConsentRequests consentRequests,
        DeliveryQueues queues,
        Executor storeExecutor,
        Lifecycle lifecycle,
        byte[] erasureSecret,
        PrometheusMeterRegistry registry) {}
