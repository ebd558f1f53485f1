package org.optline.core.limit;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.recipient.PhoneNumber;

/**
 * The durable side of the anti-spam limits, behind the storage-engine seam: each business's last
 * contact with each recipient with a time index of those contacts (for its tier), and the
 * marketing messages each recipient got (for the caps and duplicate content). Counts are written
 * with the message that made them, by the {@link org.optline.core.queue.DeliveryLog}; this
 * interface reads them and forgets what is old.
 *
 * <p>Unlike the other stores, reads answer directly, not with futures: the limits decide with a
 * lock held per business, on the admission pool, and read only on a miss of their bounded cache
 * or when a contact leaves a window. An engine whose data is remote keeps a local view of these
 * records (an engine on Kafka materialises the limit events of its partitions, as it does
 * consents), so that these reads stay local.
 */
public interface LimitStore {

    /** The business's last contact with the recipient (epoch milliseconds), or 0 when none is kept. */
    long lastContact(String businessId, PhoneNumber recipient);

    /**
     * Up to {@code max} of the business's contacts after {@code after} (null: from the first) and
     * at or before {@code upToMillis}, in index order. Replaced contacts whose index entry is still
     * there may be among them; the caller tells them apart with {@link #lastContact}.
     */
    List<Contact> contacts(String businessId, Contact after, long upToMillis, int max);

    /** The business's first contact after {@code after} (null: the first of all), or null when none. */
    Contact nextContact(String businessId, Contact after);

    /**
     * How many recipients' last contact with the business is after {@code windowStartMillis}, and
     * after {@code reachStartMillis}: what a node counts when it starts.
     */
    ContactCounts countContacts(String businessId, long windowStartMillis, long reachStartMillis);

    /** The marketing messages counted for the recipient after {@code afterMillis}, oldest first. */
    List<MarketingSend> marketing(PhoneNumber recipient, long afterMillis);

    /**
     * Forgets contacts that left every window: their index entries, and each recipient's last
     * contact when it is still that one (a newer contact written meanwhile stays).
     */
    CompletableFuture<Void> forget(String businessId, List<Contact> passed);

    /**
     * Forgets up to {@code max} marketing messages counted at or before {@code upToMillis},
     * continuing where the previous call stopped; completes with how many went.
     */
    CompletableFuture<Integer> sweepMarketing(long upToMillis, int max);
}
