package org.optline.core.testing;

import java.util.Arrays;
import java.util.List;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.QueuedMessage;

/** Messages as admission appends them: each with the idempotency record of its acceptance. */
public final class Appends {
    private Appends() {}

    public static List<Accepted> accepted(QueuedMessage... messages) {
        return accepted(Arrays.asList(messages));
    }

    public static List<Accepted> accepted(List<QueuedMessage> messages) {
        return messages.stream().map(Accepted::of).toList();
    }
}
