package org.optline.storage.rocksdb;

import java.time.Instant;

/**
 * A lease as stored, under the message's inbox key: until when, and who holds it. The holder lets
 * a release touch only its own lease (a late release must not free the next reader's), and lets a
 * holder's own leases not hold back its next lease of the same message group.
 *
 * @param holder 0 for a lease written before leases had holders: nobody's, it only runs out
 */
record Lease(Instant until, long holder) {
    /** True while the lease keeps the message from other readers. */
    boolean isLiveAt(Instant now) {
        return now.isBefore(until);
    }
}
