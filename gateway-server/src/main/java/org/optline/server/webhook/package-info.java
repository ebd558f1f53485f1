/**
 * The outbound side of webhooks: {@link org.optline.server.webhook.NettyWebhookClient} carries the
 * dispatcher's batches on the gateway's event loops.
 */
package org.optline.server.webhook;
