package org.optline.core.consent;

import org.optline.core.recipient.PhoneNumber;

/**
 * The consent changes a storage engine has made durable, wherever they were made: on a single
 * node its own writes, across Kafka-connected nodes everyone's. A node's consent cache follows it
 * to drop entries that another node changed.
 */
public interface ConsentChangeFeed {

    /** Hears every change made durable from now on. Listeners must be quick and never block. */
    void subscribe(Listener listener);

    /** What the feed reports. Called on the engine's own threads. */
    interface Listener {
        /** The record under this key changed. */
        void changed(ConsentKey key);

        /** Every record of this recipient is gone. */
        void erased(PhoneNumber recipient);
    }
}
