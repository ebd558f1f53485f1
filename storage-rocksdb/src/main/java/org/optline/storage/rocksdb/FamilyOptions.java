package org.optline.storage.rocksdb;

import java.util.Map;
import java.util.Properties;
import org.optline.core.recipient.RecipientTokens;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;

/**
 * The options of the column families: one set for most, and their own for the families that
 * the hot path of admission touches in a way the common set serves badly.
 *
 * <ul>
 * <li>{@code idempotency}: every new client_message_id is looked up before it is admitted, and
 * almost none is there. Without filters such a miss searched the memtable's skip list and
 * every level's index and data block (RocksJava reports a miss with a C++ exception): over half
 * the admission threads' CPU at 40 000 msg/s (docs/benchmarks.md, "What changed in this round"). A
 * whole-key bloom filter on the memtable answers most misses there.
 * <li>{@code inbox}: a message is inserted at its recipient's place in the memtable's skip
 * list, a search from the top through cold memory (the largest share of the store writer's
 * CPU). The insert hint keeps, per recipient and rank (the key's first
 * {@value #INBOX_HINT_PREFIX} bytes), where the last insert went, and the recipient's next
 * message lands right after it.
 * <li>{@code message_index} and {@code expiries}: every accepted message adds a key that starts
 * with a time (a UUIDv7 message id, an expiry's epoch milliseconds), so each insert lands next to
 * the one before. An insert hint per 256 ms (the keys' first {@value #MESSAGE_ID_HINT_PREFIX}
 * characters, the first {@value #EXPIRY_HINT_PREFIX} bytes) starts the search there instead of
 * at the top: the skip lists' share of the gateway's CPU fell from 10–12 % to 7–8 % at
 * 50 000 msg/s (docs/benchmarks.md, fourth round). Coarser than a millisecond so that the hints,
 * one per prefix a memtable has seen and outside its size, stay a handful even at a low rate.
 * </ul>
 */
record FamilyOptions(ColumnFamilyOptions common, Map<String, ColumnFamilyOptions> own, BloomFilter filter)
        implements AutoCloseable {
    /** recipient token ‖ 0 ‖ rank: the part of an inbox key that one recipient's messages of one rank share. */
    static final int INBOX_HINT_PREFIX = RecipientTokens.LENGTH + 2;
    /** {@code xxxxxxxx-xx}: a UUIDv7 message id's first 40 of its 48 bits of milliseconds, 256 ms. */
    static final int MESSAGE_ID_HINT_PREFIX = 11;
    /** An expiry key's epoch milliseconds (8 bytes, big-endian) but the last byte: 256 ms. */
    static final int EXPIRY_HINT_PREFIX = Long.BYTES - 1;

    static FamilyOptions create() {
        BloomFilter filter = new BloomFilter(10);
        return new FamilyOptions(familyOptions(new Properties(), filter), Map.of(
                RocksStorage.IDEMPOTENCY, familyOptions(new Properties(), filter)
                        .setMemtablePrefixBloomSizeRatio(0.05)
                        .setMemtableWholeKeyFiltering(true),
                RocksStorage.INBOX, familyOptions(hint(INBOX_HINT_PREFIX), filter),
                RocksStorage.MESSAGE_INDEX, familyOptions(hint(MESSAGE_ID_HINT_PREFIX), filter),
                RocksStorage.EXPIRIES, familyOptions(hint(EXPIRY_HINT_PREFIX), filter)), filter);
    }

    private static Properties hint(int prefixLength) {
        Properties hinted = new Properties();
        hinted.setProperty("memtable_insert_with_hint_prefix_extractor", "rocksdb.FixedPrefix." + prefixLength);
        return hinted;
    }

    ColumnFamilyOptions of(String family) {
        return own.getOrDefault(family, common);
    }

    @Override
    public void close() {
        common.close();
        own.values().forEach(ColumnFamilyOptions::close);
        filter.close();
    }

    private static ColumnFamilyOptions familyOptions(Properties settings, BloomFilter filter) {
        ColumnFamilyOptions options = settings.isEmpty() ? new ColumnFamilyOptions()
                : ColumnFamilyOptions.getColumnFamilyOptionsFromProps(settings);
        if (options == null) {
            throw new IllegalStateException("this RocksDB does not know the column family options " + settings.keySet());
        }
        // Queued messages live for minutes: compressing every memtable flush cost a third of the
        // flush thread's CPU under load (docs/benchmarks.md). Only data that reaches the bottom
        // level, which has lived long, is compressed, and with the cheaper LZ4.
        // A bloom filter in every table file lets a point look-up for an absent key (a new
        // idempotency key, a status, a consent never given) skip the file without reading it.
        return options
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setBottommostCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(filter));
    }
}
