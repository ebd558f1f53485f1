package org.optline.core.submission;

import java.util.List;
import org.optline.core.message.Outcome;

/** The answer to a submission: an outcome per message, or a refusal of the request as a whole. */
public sealed interface Submitted {

    /** Admission answered every message, in order. */
    record Answered(List<Outcome> outcomes) implements Submitted {}

    /** The node is shutting down: nothing was looked at; send it to another node. */
    record NotReady() implements Submitted {}

    /** The request carried no message, or more than a submission may carry. */
    record WrongSize(int messages, int maxMessages) implements Submitted {}
}
