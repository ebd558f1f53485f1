package org.optline.storage.rocksdb;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.quality.FeedbackKind;
import org.optline.core.quality.QualityStore;
import org.optline.core.quality.SignalCounts;
import org.optline.core.quality.Standing;
import org.optline.core.quality.StandingEvent;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Quality on disk, in four column families:
 * <ul>
 *   <li>{@code quality_counts}: {@code business ‖ 0 ‖ hour → spam reports, blocks, positives}
 *       (three 8-byte counts), updated by the writer (read, add, write), so concurrent updates add up;
 *   <li>{@code complaints}: {@code business ‖ 0 ‖ kind ‖ 0 ‖ subject → time}, one record per complaint,
 *       written with its count in one step, so a complaint reported twice counts once;
 *   <li>{@code standings}: {@code business → standing};
 *   <li>{@code standing_events}: {@code business ‖ 0 ‖ sequence → event}, written with the standing
 *       they changed, in one step.
 * </ul>
 */
public final class RocksQualityStore implements QualityStore {
    private static final int SPAM = 0;
    private static final int BLOCKS = 1;
    private static final int POSITIVES = 2;

    private final RocksStorage storage;
    /** Where each sweep goes on from; guarded by this. */
    private byte[] countsPosition = new byte[0];
    private byte[] complaintsPosition = new byte[0];

    public RocksQualityStore(RocksStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<Boolean> recordComplaint(String businessId, FeedbackKind kind, String subject, Instant at) {
        byte[] key = Keys.complaint(businessId, kind.name(), subject);
        long atMillis = at.toEpochMilli();
        byte[] countKey = Keys.businessSequenced(businessId, atMillis - Math.floorMod(atMillis, 3_600_000L));
        return storage.write(group -> {
            if (group.get(storage.complaints, key) != null) {
                return false;
            }
            group.putVisible(storage.complaints, key, Keys.longBytes(atMillis));
            long[] counts = counts(group.get(storage.qualityCounts, countKey));
            counts[kind == FeedbackKind.SPAM_REPORT ? SPAM : BLOCKS]++;
            group.putVisible(storage.qualityCounts, countKey, bytes(counts));
            return true;
        });
    }

    @Override
    public CompletableFuture<Void> addPositives(String businessId, long hourMillis, long count) {
        byte[] countKey = Keys.businessSequenced(businessId, hourMillis);
        return storage.write(group -> {
            long[] counts = counts(group.get(storage.qualityCounts, countKey));
            counts[POSITIVES] += count;
            group.putVisible(storage.qualityCounts, countKey, bytes(counts));
            return null;
        });
    }

    @Override
    public CompletableFuture<List<SignalCounts>> counts(String businessId, long sinceMillis) {
        return RocksStorage.read(() -> {
            List<SignalCounts> found = new ArrayList<>();
            storage.scan(storage.qualityCounts,
                    Keys.businessSequenced(businessId, Math.max(0, sinceMillis)), Keys.businessPrefix(businessId), (key, value) -> {
                        long[] counts = counts(value);
                        found.add(new SignalCounts(Keys.sequenceOf(key), counts[SPAM], counts[BLOCKS],
                                counts[POSITIVES]));
                        return true;
                    });
            return found;
        });
    }

    @Override
    public CompletableFuture<List<Standing>> standings() {
        return RocksStorage.read(() -> {
            List<Standing> all = new ArrayList<>();
            storage.scan(storage.standings, new byte[0], (key, value) -> all.add(Codec.standing(value)));
            return all;
        });
    }

    @Override
    public CompletableFuture<List<StandingEvent>> save(Standing standing, List<StandingEvent> events) {
        byte[] value = Codec.standing(standing);
        return storage.write(group -> {
            group.put(storage.standings, Keys.business(standing.businessId()), value);
            List<StandingEvent> numbered = new ArrayList<>(events.size());
            for (StandingEvent event : events) {
                long sequence = group.nextSequence();
                StandingEvent stored = new StandingEvent(sequence, event.businessId(), event.at(), event.kind(),
                        event.fromQuality(), event.toQuality(), event.fromTier(), event.toTier(), event.pause(),
                        event.pausedUntil(), event.detail());
                group.put(storage.standingEvents, Keys.businessSequenced(standing.businessId(), sequence),
                        Codec.event(stored));
                numbered.add(stored);
            }
            return numbered;
        });
    }

    @Override
    public CompletableFuture<List<StandingEvent>> events(String businessId, long after, int max) {
        return RocksStorage.read(() -> {
            List<StandingEvent> found = new ArrayList<>();
            if (max <= 0) {
                return found;
            }
            storage.scan(storage.standingEvents,
                    Keys.businessSequenced(businessId, after + 1), Keys.businessPrefix(businessId), (key, value) -> {
                        found.add(Codec.event(value));
                        return found.size() < max;
                    });
            return found;
        });
    }

    @Override
    public CompletableFuture<Integer> forget(long beforeMillis, int max) {
        List<byte[]> oldCounts = new ArrayList<>();
        List<byte[]> oldComplaints = new ArrayList<>();
        synchronized (this) {
            countsPosition = slice(storage.qualityCounts, countsPosition, max,
                    (key, value) -> Keys.sequenceOf(key) < beforeMillis, oldCounts);
            complaintsPosition = slice(storage.complaints, complaintsPosition, max,
                    (key, value) -> Keys.longValue(value) < beforeMillis, oldComplaints);
        }
        if (oldCounts.isEmpty() && oldComplaints.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return storage.write(group -> {
            for (byte[] key : oldCounts) {
                group.delete(storage.qualityCounts, key);
            }
            for (byte[] key : oldComplaints) {
                group.delete(storage.complaints, key);
            }
            return oldCounts.size() + oldComplaints.size();
        });
    }

    private interface Old {
        boolean test(byte[] key, byte[] value);
    }

    /** Looks at up to {@code max} entries from a position, collects the old ones; answers where to go on from. */
    private byte[] slice(ColumnFamilyHandle family, byte[] position, int max, Old old, List<byte[]> found) {
        int[] seen = {0};
        byte[][] last = {null};
        storage.scan(family, position, new byte[0], (key, value) -> {
            last[0] = key;
            if (old.test(key, value)) {
                found.add(key);
            }
            return ++seen[0] < max;
        });
        return seen[0] < max || last[0] == null ? new byte[0] : Keys.justAfter(last[0]);
    }

    private static long[] counts(byte[] value) {
        long[] counts = new long[3];
        if (value != null) {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            for (int i = 0; i < counts.length; i++) {
                counts[i] = buffer.getLong();
            }
        }
        return counts;
    }

    private static byte[] bytes(long[] counts) {
        ByteBuffer buffer = ByteBuffer.allocate(counts.length * Long.BYTES);
        for (long count : counts) {
            buffer.putLong(count);
        }
        return buffer.array();
    }
}
