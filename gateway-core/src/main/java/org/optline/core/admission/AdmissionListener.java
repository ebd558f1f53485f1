package org.optline.core.admission;

import org.optline.core.message.Outcome;

/**
 * What admission reports, for metrics and logs. The default does nothing; the server binds it
 * to Micrometer. Called on admission and store threads: implementations must be quick and never
 * block.
 */
public interface AdmissionListener {
    AdmissionListener NONE = new AdmissionListener() {};

    /** One message's outcome, once it is final. */
    default void onOutcome(Outcome outcome) {}

    /** A whole submission answered, {@code nanos} after it was handed to the pipeline. */
    default void onSubmission(int messages, long nanos) {}

    /**
     * A store read that admission depended on failed; its submission was answered OVERLOADED.
     * A read refused for a storage fault (answered STORAGE_UNAVAILABLE) is not reported here:
     * the store's {@link org.optline.core.storage.StorageHealth} tells it once.
     */
    default void onFailure(Throwable failure) {}
}
