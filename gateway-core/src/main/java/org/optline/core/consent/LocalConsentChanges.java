package org.optline.core.consent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.optline.core.recipient.PhoneNumber;

/**
 * The change feed of an engine that is the only writer of its consents (one node): it reports
 * the engine's own changes once they are durable.
 */
public final class LocalConsentChanges implements ConsentChangeFeed {
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    /** Reports a change that is now durable. */
    public void changed(ConsentKey key) {
        for (Listener listener : listeners) {
            listener.changed(key);
        }
    }

    /** Reports an erasure that is now durable. */
    public void erased(PhoneNumber recipient) {
        for (Listener listener : listeners) {
            listener.erased(recipient);
        }
    }
}
