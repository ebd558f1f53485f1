/**
 * A message's life after it is queued: its states ({@link org.optline.core.delivery.MessageState},
 * {@link org.optline.core.delivery.Transition}, {@link org.optline.core.delivery.MessageRecord}),
 * the rules of time to live, priority and leases ({@link org.optline.core.delivery.DeliveryPolicy},
 * {@link org.optline.core.delivery.Priority}), the statuses an engine keeps ({@link
 * org.optline.core.delivery.MessageHistory}) and the periodic work ({@link
 * org.optline.core.delivery.DeliverySweeper}, scheduled on an event loop, which only hands store
 * work to the store threads). The order the inbox keeps is a {@link
 * org.optline.core.delivery.MessageGroup}'s.
 */
package org.optline.core.delivery;
