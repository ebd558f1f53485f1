/**
 * The read side of delivery: the {@link org.optline.core.inbox.Inbox} an engine serves, and the
 * {@link org.optline.core.inbox.InboxService} the delivery side calls.
 */
package org.optline.core.inbox;
