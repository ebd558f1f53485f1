/**
 * Per-recipient delivery queues: {@link org.optline.core.queue.DeliveryQueues} and the
 * {@link org.optline.core.queue.QueuedMessage} it holds.
 */
package org.optline.core.queue;
