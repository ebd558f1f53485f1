/**
 * The write side of delivery: the {@link org.optline.core.queue.DeliveryLog} that accepted
 * messages are appended to, and the {@link org.optline.core.queue.QueuedMessage} it holds.
 */
package org.optline.core.queue;
