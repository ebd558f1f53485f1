/**
 * The read side of delivery: the {@link org.optline.core.inbox.Inbox} an engine serves (leases,
 * transitions), and the {@link org.optline.core.inbox.InboxService} the delivery side calls to
 * pull (and long-poll), subscribe for pushes ({@link org.optline.core.inbox.InboxSubscription}),
 * and report messages delivered, read or failed. {@link org.optline.core.inbox.Arrivals} tells
 * waiting readers that messages arrived; the delivery tick rings their alarms. Long-polls and
 * subscriptions share one leasing loop ({@code Waiter}).
 */
package org.optline.core.inbox;
