package org.optline.storage.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.optline.core.storage.StorageUnavailableException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The one writer of the store. Writes queue up while the previous group is being synced; the
 * writer then takes them all, puts them in one {@link WriteBatch}, and writes it with a WAL
 * sync. Each write's future completes only after the sync that covers it, so no
 * acknowledgement ever precedes its fsync, and the cost of one fsync is shared by every write
 * that arrived meanwhile.
 *
 * <p>One writer also makes read-modify-write safe (a consent record updated by two changes at
 * once) and hands out sequence numbers in commit order, which is acceptance order.
 *
 * <p>Every group also stores its own number (the commit), so that a store that comes back
 * from disk can say how far it reaches: the {@link AcknowledgedMark} holds the last number
 * acknowledged, and a store behind it lost acknowledged writes. A group that fails because of a
 * {@link org.optline.core.storage.StorageFault} (a full disk) fails its writes with a
 * {@link StorageUnavailableException} and is reported to the store's health; while such a
 * fault lasts and nothing else is written, the writer tries an empty group every second, so
 * the store notices by itself when space comes back.
 *
 * <p>The futures of a large durable group are completed on a second thread, the completer, in
 * group order: what waits on them (admission's outcomes, idempotency records, anti-spam counts,
 * arrivals, the answers' hand-over to the event loops) was about half of the writer's time under
 * load, and the writer is the node's one serial step. With it elsewhere the writer builds and
 * syncs the next group while the last one's writes are being answered. A small group, while the
 * completer has nothing left to do, is completed by the writer itself: at a low rate one thread
 * hop less is worth more (on two busy cores each wake-up can wait for a core) than the overlap.
 */
final class GroupCommitter {
    /** Enough to amortise one fsync over a burst, small enough to keep a group's batch in cache. */
    private static final int MAX_GROUP = 4_096;
    /** Marks a key deleted earlier in the same group. */
    private static final byte[] DELETED = new byte[0];
    private static final byte[] SEQUENCE_KEY = "sequence".getBytes(StandardCharsets.US_ASCII);
    /** The number of the last group committed, written with every group. */
    static final byte[] COMMIT_KEY = "commit".getBytes(StandardCharsets.US_ASCII);
    /**
     * How often an idle writer in a full-disk fault tries an empty group. Readiness keeps traffic
     * away during the fault, so without this nothing would notice that it is over.
     */
    private static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One write: adds its changes to the group's batch and returns its result. */
    interface Write<T> {
        T apply(Group group) throws RocksDBException;
    }

    /** What a write sees while the group is built: the batch, reads that see earlier writes of the group, sequences. */
    final class Group {
        final WriteBatch batch;
        /** Visible writes of the writes that succeeded so far in this group. */
        private final Map<ByteKey, byte[]> written = new HashMap<>();
        /** Visible writes of the write being applied; kept only if it succeeds. */
        private final Map<ByteKey, byte[]> staged = new HashMap<>();
        /** Ranges deleted by the writes that succeeded so far, and by the write being applied. */
        private final List<KeyRange> writtenRanges = new ArrayList<>();
        private final List<KeyRange> stagedRanges = new ArrayList<>();
        private long sequence;

        private Group(WriteBatch batch, long sequence) {
            this.batch = batch;
            this.sequence = sequence;
        }

        /** The next sequence number; survives restarts because the last one is stored with the group. */
        long nextSequence() {
            return ++sequence;
        }

        void put(ColumnFamilyHandle family, byte[] key, byte[] value) throws RocksDBException {
            batch.put(family, key, value);
        }

        /** A put that later writes of the same group read back through {@link #get}: for read-modify-write. */
        void putVisible(ColumnFamilyHandle family, byte[] key, byte[] value) throws RocksDBException {
            batch.put(family, key, value);
            staged.put(new ByteKey(family.getID(), key), value);
        }

        void delete(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
            batch.delete(family, key);
            staged.put(new ByteKey(family.getID(), key), DELETED);
        }

        /**
         * Deletes every key from {@code begin} (inclusive) to {@code end} (exclusive) at the cost of
         * one record, however many there are; later reads of this group see them gone.
         */
        void deleteRange(ColumnFamilyHandle family, byte[] begin, byte[] end) throws RocksDBException {
            batch.deleteRange(family, begin, end);
            KeyRange range = new KeyRange(family.getID(), begin, end);
            // This group's own earlier writes in the range go too; a later put in it is found first.
            for (Map<ByteKey, byte[]> own : List.of(written, staged)) {
                for (ByteKey id : own.keySet()) {
                    if (range.contains(id)) {
                        staged.put(id, DELETED);
                    }
                }
            }
            stagedRanges.add(range);
        }

        private void keepStaged() {
            written.putAll(staged);
            staged.clear();
            writtenRanges.addAll(stagedRanges);
            stagedRanges.clear();
        }

        private void dropStaged() {
            staged.clear();
            stagedRanges.clear();
        }

        /** The value as this group leaves it so far: its own visible writes and deletes first, then the disk. */
        byte[] get(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
            ByteKey id = new ByteKey(family.getID(), key);
            byte[] own = staged.containsKey(id) ? staged.get(id) : written.get(id);
            if (own == DELETED) {
                return null;
            }
            if (own != null) {
                return own;
            }
            for (List<KeyRange> ranges : List.of(stagedRanges, writtenRanges)) {
                for (KeyRange range : ranges) {
                    if (range.contains(id)) {
                        return null;
                    }
                }
            }
            try {
                return db.get(family, key);
            } catch (RocksDBException e) {
                throw faults.readFailed(family.getID(), e);
            }
        }
    }

    /** Keys from {@code begin} (inclusive) to {@code end} (exclusive) of one column family. */
    private record KeyRange(int family, byte[] begin, byte[] end) {
        boolean contains(ByteKey id) {
            return id.family() == family && Arrays.compareUnsigned(id.key(), begin) >= 0
                    && Arrays.compareUnsigned(id.key(), end) < 0;
        }
    }

    private record ByteKey(int family, byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey other && family == other.family && Arrays.equals(key, other.key);
        }

        @Override
        public int hashCode() {
            return 31 * family + Arrays.hashCode(key);
        }
    }

    private record Pending<T>(Write<T> write, CompletableFuture<T> done) {}

    private final RocksDB db;
    private final ColumnFamilyHandle meta;
    private final StoreFaults faults;
    private final WriteOptions synced = new WriteOptions().setSync(true);
    private final BlockingQueue<Pending<?>> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    /** Groups made durable, waiting for their futures to be completed, in commit order. */
    private final BlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();
    private final Thread completer;
    /** Queued after the writer's last group: the completer stops when it reaches it. */
    private static final Runnable LAST = () -> { };
    /**
     * Entries of a group its writer completes itself: about 500 messages' worth, a group of one
     * request each from a few hundred HTTP connections, or five TCP requests of 100.
     */
    private static final int COMPLETED_BY_THE_WRITER = 2_048;
    /** Groups handed to the completer and not yet completed; changed by the writer up, the completer down. */
    private final AtomicInteger handedOver = new AtomicInteger();
    private volatile boolean running = true;
    private long sequence;
    private long commit;
    /** The number of the last group whose fsync returned: what may have been acknowledged. */
    private volatile long durableCommit;
    private long lastAttempt = System.nanoTime();
    /**
     * Runs on the writer just before each group is written: makes durable what the group's
     * writes depend on outside this database (the data keys of recipients sealed in them).
     */
    private volatile Runnable beforeWrite = () -> {};
    /** Set by tests: the next groups fail with this, as if the disk had answered it. */
    private volatile RocksDBException injected;

    GroupCommitter(RocksDB db, ColumnFamilyHandle meta, StoreFaults faults) throws RocksDBException {
        this.db = db;
        this.meta = meta;
        this.faults = faults;
        this.sequence = longValue(db.get(meta, SEQUENCE_KEY));
        this.commit = longValue(db.get(meta, COMMIT_KEY));
        this.durableCommit = commit;
        this.writer = new Thread(this::run, "optline-store-writer");
        this.completer = new Thread(this::completeGroups, "optline-store-complete");
        this.completer.start();
        this.writer.start();
    }

    /** What to make durable before each group is written (see {@link #beforeWrite}). */
    void beforeEachWrite(Runnable task) {
        this.beforeWrite = task;
    }

    /** A stored 8-byte number, 0 when absent (a store made before it was stored). */
    static long longValue(byte[] stored) {
        return stored == null ? 0 : ByteBuffer.wrap(stored).getLong();
    }

    private static byte[] bytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** The number of the last group made durable; every write of it and before it was on disk when acknowledged. */
    long durableCommit() {
        return durableCommit;
    }

    /**
     * For tests: every group from now on fails with {@code failure} (RocksDB's NoSpace, say)
     * instead of being written, until this is called with null.
     */
    void failWritesWith(RocksDBException failure) {
        injected = failure;
    }

    /** Queues a write; the future completes after the fsync that makes it durable. */
    <T> CompletableFuture<T> submit(Write<T> write) {
        CompletableFuture<T> done = new CompletableFuture<>();
        // Checked and queued under the lock close() takes, so that no write slips in after the
        // writer's last look at the queue and waits forever.
        synchronized (this) {
            if (!running) {
                done.completeExceptionally(new IllegalStateException("the store is closed"));
                return done;
            }
            pending.add(new Pending<>(write, done));
        }
        return done;
    }

    private void run() {
        List<Pending<?>> group = new ArrayList<>();
        try {
            while (running || !pending.isEmpty()) {
                Pending<?> first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    probeIfUnwritable();
                    continue;
                }
                group.add(first);
                pending.drainTo(group, MAX_GROUP - 1);
                commit(group);
                group.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable fatal) {
            failAll(group, fatal);
            throw fatal;
        } finally {
            // Whatever ends the writer, nothing may wait forever: refuse new writes, fail queued ones.
            synchronized (this) {
                running = false;
            }
            List<Pending<?>> left = new ArrayList<>();
            pending.drainTo(left);
            failAll(left, new IllegalStateException("the store's writer has stopped"));
            completions.add(LAST);
        }
    }

    /** A write that failed: its result slot holds this instead of a value. */
    private record Failed(Throwable cause) {}

    /** While the disk is full and nothing else is written, an empty group now and then tells when it is over. */
    private void probeIfUnwritable() {
        boolean unwritable = faults.health().fault().map(fault -> fault.isTransient()).orElse(false);
        if (unwritable && System.nanoTime() - lastAttempt >= PROBE_INTERVAL_NANOS) {
            commit(List.of());
        }
    }

    private void commit(List<Pending<?>> pendings) {
        StorageUnavailableException refused = faults.refusingWrites();
        if (refused != null) {
            failAll(pendings, refused);
            return;
        }
        List<Object> results = new ArrayList<>(pendings.size());
        int entries;
        try (WriteBatch batch = new WriteBatch()) {
            Group group = new Group(batch, sequence);
            for (Pending<?> p : pendings) {
                batch.setSavePoint();
                try {
                    results.add(p.write().apply(group));
                    group.keepStaged();
                    batch.popSavePoint();
                } catch (Exception | StackOverflowError e) {
                    // One bad write must not sink the group: undo its part and fail only it.
                    batch.rollbackToSavePoint();
                    group.dropStaged();
                    results.add(new Failed(e));
                }
            }
            if (batch.count() == 0 && !pendings.isEmpty()) {
                // Writes that found nothing to change (a sweep with nothing due): nothing to make
                // durable, so no commit, no fsync, and the acknowledged mark stays put. Answered
                // after the groups before them all the same.
                handOver(pendings, results, 0);
                return;
            }
            // Only a real write tells whether the disk takes writes again: the probe waits for one.
            lastAttempt = System.nanoTime();
            long number = commit + 1;
            batch.put(meta, SEQUENCE_KEY, bytes(group.sequence));
            batch.put(meta, COMMIT_KEY, bytes(number));
            RocksDBException failure = injected;
            if (failure != null) {
                throw failure;
            }
            beforeWrite.run();
            db.write(synced, batch);
            entries = batch.count();
            sequence = group.sequence;
            commit = number;
            durableCommit = number;
        } catch (RocksDBException e) {
            failAll(pendings, faults.writeFailed(e));
            return;
        } catch (RuntimeException e) {
            failAll(pendings, e);
            return;
        }
        // Told before the acknowledgements go out, so that readiness is back by the first of them.
        faults.writeSucceeded();
        handOver(pendings, results, entries);
    }

    /**
     * Completes these writes' futures after those of every earlier group: here when the group is
     * small and the completer has finished every group handed to it, on the completer otherwise.
     */
    private void handOver(List<Pending<?>> pendings, List<Object> results, int entries) {
        if (entries <= COMPLETED_BY_THE_WRITER && handedOver.get() == 0) {
            for (int i = 0; i < pendings.size(); i++) {
                complete(pendings.get(i), results.get(i));
            }
            return;
        }
        List<Pending<?>> done = List.copyOf(pendings);
        handedOver.incrementAndGet();
        completions.add(() -> {
            for (int i = 0; i < done.size(); i++) {
                complete(done.get(i), results.get(i));
            }
            handedOver.decrementAndGet();
        });
    }

    /** The completer's loop: completes each durable group's futures, in order, until the writer has stopped. */
    private void completeGroups() {
        while (true) {
            Runnable group;
            try {
                group = completions.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (group == LAST) {
                return;
            }
            // A dependent action that throws fails its own future, not this loop.
            group.run();
        }
    }

    private static void failAll(List<Pending<?>> pendings, Throwable cause) {
        for (Pending<?> p : pendings) {
            p.done().completeExceptionally(cause);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object result) {
        if (result instanceof Failed failed) {
            p.done().completeExceptionally(failed.cause());
        } else {
            p.done().complete((T) result);
        }
    }

    /**
     * Stops taking writes, commits what is queued, and stops the writer. Returns false when the
     * writer is still busy after the wait (a disk that hangs): the caller must then leave the
     * database open, since freeing it under a running write would crash the process.
     */
    boolean stop() {
        synchronized (this) {
            running = false;
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            return false;
        }
        try {
            // The answers of the last groups go out before the database they may read is closed.
            completer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synced.close();
        return true;
    }
}
