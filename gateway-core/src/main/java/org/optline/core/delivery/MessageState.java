package org.optline.core.delivery;

/**
 * Where an accepted message stands in its life. QUEUED is where every message starts (its
 * ACCEPTED answer); DELIVERED, EXPIRED and FAILED take it out of the queue; READ follows
 * DELIVERED. A message never goes back.
 */
public enum MessageState {
    /** Accepted and waiting in the recipient's queue (possibly leased to a reader). */
    QUEUED,
    /** Acknowledged by the delivery side: the recipient's app has it. */
    DELIVERED,
    /** Reported read by the recipient's app. */
    READ,
    /** Its time to live passed before it was delivered; it was never handed out after that. */
    EXPIRED,
    /** Given up by the delivery side, with a reason. */
    FAILED;

    /** True for the states of a message that has left its queue. */
    public boolean leftQueue() {
        return this != QUEUED;
    }
}
