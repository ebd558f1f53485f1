/**
 * Signed webhooks: a business registers a URL ({@link org.optline.core.webhook.WebhookService}) and
 * hears every state change of its messages from its outbox ({@link
 * org.optline.core.webhook.WebhookDispatcher}), signed as {@link
 * org.optline.core.webhook.WebhookSignature} says. The engine keeps registrations and outboxes
 * ({@link org.optline.core.webhook.WebhookStore}); the server carries requests ({@link
 * org.optline.core.webhook.WebhookTransport}). Store work runs on the store threads; requests on
 * the server's event loops.
 */
package org.optline.core.webhook;
