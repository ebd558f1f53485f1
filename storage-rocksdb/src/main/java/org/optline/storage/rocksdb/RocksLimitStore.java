package org.optline.storage.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.limit.AntiSpamCounts;
import org.optline.core.limit.Contact;
import org.optline.core.limit.ContactCounts;
import org.optline.core.limit.LimitStore;
import org.optline.core.limit.MarketingSend;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.recipient.RecipientTokens;
import org.optline.core.recipient.SealedNumbers;
import org.rocksdb.RocksDBException;

/**
 * The anti-spam windows on disk, in three column families:
 * <ul>
 *   <li>{@code contacts}: {@code business ‖ 0 ‖ recipient → time}, a business's last contact with a
 *       recipient (8-byte epoch milliseconds);
 *   <li>{@code contact_times}: {@code business ‖ 0 ‖ time ‖ recipient}, the time index of those
 *       contacts, which the limits walk in time order as contacts leave a window;
 *   <li>{@code marketing_sends}: {@code recipient ‖ 0 ‖ time ‖ text hash ‖ business}, one key per
 *       marketing message counted, so a recipient's window is one short range scan.
 * </ul>
 * They are written by {@link RocksDeliveryQueues#append} in the group commit of the messages that
 * counted them ({@link Writes}); a contact replaces its predecessor's index entry in the same step.
 * What leaves the windows is deleted later: contacts by the limits' reach cursor ({@link #forget}),
 * marketing messages by a sweep that walks the family a slice at a time.
 */
public final class RocksLimitStore implements LimitStore {
    private final RocksStorage storage;
    /** Where the marketing sweep goes on from; guarded by this. */
    private byte[] sweepPosition = new byte[0];

    public RocksLimitStore(RocksStorage storage) {
        this.storage = storage;
    }

    /** The writes one message's counts make, encoded on the caller's thread; applied by the store's writer. */
    static final class Writes {
        static final Writes NONE = new Writes(null, null, null, null, null, null);
        private final byte[] contactKey;
        private final byte[] contactValue;
        private final byte[] contactTime;
        private final byte[] sealedNumber;
        private final byte[] replacedTime;
        private final byte[] marketingKey;

        private Writes(byte[] contactKey, byte[] contactValue, byte[] contactTime, byte[] sealedNumber,
                       byte[] replacedTime, byte[] marketingKey) {
            this.contactKey = contactKey;
            this.contactValue = contactValue;
            this.contactTime = contactTime;
            this.sealedNumber = sealedNumber;
            this.replacedTime = replacedTime;
            this.marketingKey = marketingKey;
        }

        static Writes of(AntiSpamCounts counts, RocksStorage storage) {
            if (counts.isEmpty()) {
                return NONE;
            }
            byte[] recipient = storage.token(counts.recipient());
            SealedNumbers numbers = storage.numbers();
            byte[] contactKey = null;
            byte[] contactValue = null;
            byte[] contactTime = null;
            byte[] replacedTime = null;
            byte[] sealedNumber = null;
            if (counts.hasContact()) {
                contactKey = Keys.contact(counts.businessId(), recipient);
                contactValue = Keys.longBytes(counts.contactAtMillis());
                contactTime = Keys.contactTime(counts.businessId(), counts.contactAtMillis(), recipient);
                // The one place a window needs the number back: a contact leaving it (see contactOf).
                sealedNumber = numbers == null ? new byte[0] : numbers.seal(counts.recipient());
                if (counts.replacedContactAtMillis() > 0) {
                    replacedTime = Keys.contactTime(counts.businessId(), counts.replacedContactAtMillis(), recipient);
                }
            }
            MarketingSend send = counts.marketing();
            byte[] marketingKey = send == null ? null
                    : Keys.marketingSend(recipient, send.atMillis(), send.textHash(), send.businessId());
            return new Writes(contactKey, contactValue, contactTime, sealedNumber, replacedTime, marketingKey);
        }

        void apply(RocksStorage storage, GroupCommitter.Group group) throws RocksDBException {
            if (contactKey != null) {
                if (replacedTime != null) {
                    group.delete(storage.contactTimes, replacedTime);
                }
                group.put(storage.contacts, contactKey, contactValue);
                group.put(storage.contactTimes, contactTime, sealedNumber);
            }
            if (marketingKey != null) {
                group.put(storage.marketingSends, marketingKey, new byte[0]);
            }
        }
    }

    /**
     * Writes counts that were not written with their messages here: an engine whose messages live
     * elsewhere (Kafka) keeps its node's view of the windows in this store, and records a message's
     * counts once the log decided it was queued. Completes when durable.
     */
    public CompletableFuture<Void> record(List<AntiSpamCounts> counted) {
        List<Writes> writes = new ArrayList<>(counted.size());
        for (AntiSpamCounts counts : counted) {
            Writes each = Writes.of(counts, storage);
            if (each != Writes.NONE) {
                writes.add(each);
            }
        }
        if (writes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return storage.write(group -> {
            for (Writes each : writes) {
                each.apply(storage, group);
            }
            return null;
        });
    }

    @Override
    public long lastContact(String businessId, PhoneNumber recipient) {
        byte[] value = storage.get(storage.contacts, Keys.contact(businessId, storage.token(recipient)));
        return value == null ? 0 : Keys.longValue(value);
    }

    @Override
    public List<Contact> contacts(String businessId, Contact after, long upToMillis, int max) {
        List<Contact> found = new ArrayList<>();
        byte[] prefix = Keys.businessPrefix(businessId);
        storage.scan(storage.contactTimes, from(businessId, after), prefix, (key, value) -> {
            Contact contact = contactOf(key, value, prefix.length);
            if (contact.atMillis() > upToMillis) {
                return false;
            }
            found.add(contact);
            return found.size() < max;
        });
        return found;
    }

    @Override
    public Contact nextContact(String businessId, Contact after) {
        byte[] prefix = Keys.businessPrefix(businessId);
        Contact[] next = new Contact[1];
        storage.scan(storage.contactTimes, from(businessId, after), prefix, (key, value) -> {
            next[0] = contactOf(key, value, prefix.length);
            return false;
        });
        return next[0];
    }

    /** The first key of the time index after a position. */
    private byte[] from(String businessId, Contact after) {
        if (after == null) {
            return Keys.businessPrefix(businessId);
        }
        if (after.recipient() == null) {
            return Keys.contactTimeFrom(businessId, after.atMillis() + 1);
        }
        return Keys.justAfter(Keys.contactTime(businessId, after.atMillis(), storage.token(after.recipient())));
    }

    /**
     * A contact of the time index: its number is sealed in the value; once the recipient was
     * erased it is the recipient's stand-in, which the limits count and forget all the same.
     */
    private Contact contactOf(byte[] key, byte[] sealedNumber, int prefixLength) {
        long at = ByteBuffer.wrap(key, prefixLength, Long.BYTES).getLong();
        if (storage.numbers() == null) {
            // The earlier layout (tests of the move): the number is the end of the key.
            int start = prefixLength + Long.BYTES;
            return new Contact(PhoneNumber.ofStored(new String(key, start, key.length - start,
                    StandardCharsets.US_ASCII)), at);
        }
        return new Contact(storage.numbers().open(sealedNumber), at);
    }

    @Override
    public ContactCounts countContacts(String businessId, long windowStartMillis, long reachStartMillis) {
        long[] counts = new long[2];
        storage.scan(storage.contacts, Keys.businessPrefix(businessId), (key, value) -> {
            long last = Keys.longValue(value);
            counts[0] += last > windowStartMillis ? 1 : 0;
            counts[1] += last > reachStartMillis ? 1 : 0;
            return true;
        });
        return new ContactCounts(counts[0], counts[1]);
    }

    @Override
    public List<MarketingSend> marketing(PhoneNumber recipient, long afterMillis) {
        List<MarketingSend> found = new ArrayList<>();
        byte[] prefix = Keys.recipientPrefix(storage.token(recipient));
        byte[] from = ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(afterMillis + 1).array();
        storage.scan(storage.marketingSends, from, prefix, (key, value) -> {
            found.add(sendOf(key, prefix.length));
            return true;
        });
        return found;
    }

    private static MarketingSend sendOf(byte[] key, int prefixLength) {
        ByteBuffer buffer = ByteBuffer.wrap(key, prefixLength, 2 * Long.BYTES);
        long at = buffer.getLong();
        long textHash = buffer.getLong();
        int businessStart = prefixLength + 2 * Long.BYTES;
        return new MarketingSend(new String(key, businessStart, key.length - businessStart, StandardCharsets.US_ASCII),
                at, textHash);
    }

    @Override
    public CompletableFuture<Void> forget(String businessId, List<Contact> passed) {
        List<byte[]> times = new ArrayList<>(passed.size());
        List<byte[]> rows = new ArrayList<>(passed.size());
        List<Long> ats = new ArrayList<>(passed.size());
        for (Contact contact : passed) {
            times.add(Keys.contactTime(businessId, contact.atMillis(), storage.token(contact.recipient())));
            rows.add(Keys.contact(businessId, storage.token(contact.recipient())));
            ats.add(contact.atMillis());
        }
        return storage.write(group -> {
            for (int i = 0; i < times.size(); i++) {
                group.delete(storage.contactTimes, times.get(i));
                // Read by the writer: a newer contact committed meanwhile keeps its record.
                byte[] last = group.get(storage.contacts, rows.get(i));
                if (last != null && Keys.longValue(last) == ats.get(i)) {
                    group.delete(storage.contacts, rows.get(i));
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Integer> sweepMarketing(long upToMillis, int max) {
        List<byte[]> old = new ArrayList<>();
        synchronized (this) {
            int[] seen = {0};
            byte[][] last = {null};
            storage.scan(storage.marketingSends, sweepPosition, new byte[0], (key, value) -> {
                last[0] = key;
                if (sendOf(key, prefixLength(key)).atMillis() <= upToMillis) {
                    old.add(key);
                }
                return ++seen[0] < max;
            });
            // At the end of the family the next sweep starts over.
            sweepPosition = seen[0] < max || last[0] == null ? new byte[0] : Keys.justAfter(last[0]);
        }
        if (old.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return storage.write(group -> {
            for (byte[] key : old) {
                group.delete(storage.marketingSends, key);
            }
            return old.size();
        });
    }

    /** A token and its separator: a token may hold zero bytes, so the length is fixed, never searched for. */
    private static int prefixLength(byte[] key) {
        return RecipientTokens.LENGTH + 1;
    }
}
