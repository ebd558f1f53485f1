package org.optline.core.webhook;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one batch of events to a business's receiver, signed with the given secrets; the server
 * binds it to Netty's HTTP client. Completes with the receiver's HTTP status, or fails when no
 * answer came (connection refused, reset, timed out). Never blocks its caller.
 */
@FunctionalInterface
public interface WebhookTransport {
    CompletableFuture<Integer> send(WebhookRegistration registration, List<OutboxEvent> events);
}
