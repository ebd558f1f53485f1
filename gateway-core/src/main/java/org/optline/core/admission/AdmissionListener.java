package org.optline.core.admission;

import org.optline.core.message.Outcome;

/**
 * What admission reports, for metrics. The default does nothing; the server binds it to
 * Micrometer. Called on admission threads: implementations must be quick and never block.
 */
public interface AdmissionListener {
    AdmissionListener NONE = new AdmissionListener() {};

    /** One message's outcome, once it is final. */
    default void onOutcome(Outcome outcome) {}

    /** A whole submission answered, {@code nanos} after it was handed to the pipeline. */
    default void onSubmission(int messages, long nanos) {}
}
