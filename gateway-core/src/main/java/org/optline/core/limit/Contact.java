package org.optline.core.limit;

import java.util.Comparator;
import org.optline.core.recipient.PhoneNumber;

/**
 * A business's contact with a recipient at a time (epoch milliseconds), as a store's time index
 * of contacts holds it; also a position in that index. Contacts are ordered by time, then by the
 * recipient's number. A position whose recipient is null stands after every contact of its
 * millisecond.
 */
public record Contact(PhoneNumber recipient, long atMillis) {
    /** Index order: time, then number; a null recipient after every number of its millisecond. */
    public static final Comparator<Contact> ORDER = (a, b) -> {
        int byTime = Long.compare(a.atMillis, b.atMillis);
        if (byTime != 0) {
            return byTime;
        }
        if (a.recipient == null || b.recipient == null) {
            return a.recipient == b.recipient ? 0 : a.recipient == null ? 1 : -1;
        }
        return a.recipient.e164().compareTo(b.recipient.e164());
    };

    /** The position after every contact made at or before {@code atMillis}. */
    public static Contact after(long atMillis) {
        return new Contact(null, atMillis);
    }
}
