package org.optline.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentSource;
import org.optline.core.message.Category;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StorageException;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageHealth;
import org.optline.core.storage.StorageUnavailableException;
import org.optline.core.testing.Appends;
import org.optline.core.testing.MutableClock;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * A full disk, twice: injected into the writer (RocksDB's own NoSpace status, every run), and a
 * real one on a small tmpfs (when this process may mount one: root on Linux, as on CI; skipped
 * elsewhere). Writes are refused as unavailable, the fault is told once when it begins and once
 * when it ends, the store takes writes again by itself when space comes back, and a start on a
 * full disk changes nothing.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FullDiskTest {
    private static final String BANK = "test-bank";
    private static final PhoneNumber ALICE = PhoneNumber.parse("+447911100001").orElseThrow();

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private RocksStorage storage;
    private Path mounted;

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (storage != null) {
                storage.close();
            }
        } catch (StorageException e) {
            // Closing on a full disk may fail to flush; the test has said what it had to.
        } finally {
            if (mounted != null) {
                new ProcessBuilder("umount", mounted.toString()).inheritIO().start().waitFor();
            }
        }
    }

    private QueuedMessage message(String clientMessageId) {
        return new QueuedMessage(ids.next(), BANK, clientMessageId, ALICE, Category.TRANSACTIONAL, false,
                "Your balance is 120.50 EUR (" + clientMessageId + ") " + "x".repeat(400), clock.instant(), 0, "");
    }

    private void listen() {
        storage.health().watch(new StorageHealth.Listener() {
            @Override
            public void faultBegan(StorageFault fault, String detail) {
                heard.add("began " + fault);
            }

            @Override
            public void faultEnded(StorageFault fault, String detail) {
                heard.add("ended " + fault);
            }
        });
    }

    private static StorageUnavailableException unavailable(CompletableFuture<?> refused) {
        Throwable failure = refused.handle((ok, e) -> e).join();
        assertThat(failure).as("the write was refused").isNotNull();
        StorageUnavailableException unavailable = StorageUnavailableException.of(failure);
        assertThat(unavailable).as("refused as unavailable: %s", failure).isNotNull();
        return unavailable;
    }

    /** Waits (up to 30 s) for the store to notice by itself that it can write again. */
    private void awaitWritable() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (storage.health().fault().isPresent() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertThat(storage.health().fault()).as("the fault ended by itself").isEmpty();
    }

    private static RocksDBException noSpace() {
        return new RocksDBException("IO error: No space left on device: While appending to file: 000004.log",
                new Status(Status.Code.IOError, Status.SubCode.NoSpace, "No space left on device"));
    }

    // --- injected ---

    @Test
    void aFullDiskRefusesWritesAsUnavailableOnceToldAndTheStoreTakesWritesAgainByItself() throws Exception {
        storage = RocksStorage.open(temp.resolve("store"));
        listen();
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        QueuedMessage before = message("before");
        queues.append(Appends.accepted(before)).get(10, TimeUnit.SECONDS);

        storage.failWritesWith(noSpace());
        List<QueuedMessage> refused = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            QueuedMessage m = message("refused-" + i);
            refused.add(m);
            StorageUnavailableException why = unavailable(queues.append(Appends.accepted(m)));
            assertThat(why.fault()).isEqualTo(StorageFault.DISK_FULL);
            assertThat(why.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        }
        StorageUnavailableException consent = unavailable(new RocksConsentStore(storage).apply(new ConsentChange(ALICE,
                BANK, ConsentAction.OPT_OUT, ConsentClass.TRANSACTIONAL, ConsentSource.APP, "v1", clock.instant())));
        assertThat(consent.fault()).isEqualTo(StorageFault.DISK_FULL);
        assertThat(storage.health().fault()).contains(StorageFault.DISK_FULL);
        assertThat(storage.health().detail()).contains("is full").contains("No space left on device")
                .contains(temp.resolve("store").toString());
        assertThat(heard).containsExactly("began DISK_FULL");

        storage.failWritesWith(null);
        awaitWritable();
        assertThat(heard).containsExactly("began DISK_FULL", "ended DISK_FULL");
        QueuedMessage after = message("after");
        queues.append(Appends.accepted(after)).get(10, TimeUnit.SECONDS);

        storage.close();
        storage = RocksStorage.open(temp.resolve("store"));
        assertThat(new RocksDeliveryQueues(storage).peek(ALICE, 100).join()).extracting(QueuedMessage::clientMessageId)
                .containsExactly("before", "after");
    }

    @Test
    void anIoErrorThatIsNotAFullDiskIsAWriteFailureOfItsOwn() throws Exception {
        storage = RocksStorage.open(temp.resolve("store"));
        listen();
        storage.failWritesWith(new RocksDBException("IO error: Read-only file system",
                new Status(Status.Code.IOError, Status.SubCode.None, "Read-only file system")));

        StorageUnavailableException why = unavailable(new RocksDeliveryQueues(storage)
                .append(Appends.accepted(message("m-1"))));

        assertThat(why.fault()).isEqualTo(StorageFault.WRITE_FAILED);
        assertThat(heard).containsExactly("began WRITE_FAILED");
        storage.failWritesWith(null);
        awaitWritable();
    }

    // --- a real full disk (tmpfs) ---

    /** Mounts a tmpfs of {@code megabytes} at a new directory, or skips the test when this process may not. */
    private Path smallDisk(int megabytes) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "tmpfs needs Linux");
        Path disk = Files.createDirectory(temp.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs",
                disk.toString()).redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here (not root?): " + output);
        mounted = disk;
        return disk;
    }

    /** Fills the disk with a file until only about {@code leaveKiB} are free. */
    private static Path fill(Path disk, long leaveKiB) throws IOException {
        Path filler = disk.resolve("filler");
        long free = Files.getFileStore(disk).getUsableSpace();
        try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw")) {
            byte[] chunk = new byte[1 << 16];
            long toWrite = Math.max(0, free - leaveKiB * 1024);
            for (long written = 0; written < toWrite; written += chunk.length) {
                file.write(chunk, 0, (int) Math.min(chunk.length, toWrite - written));
            }
            file.getFD().sync();
        } catch (IOException e) {
            // Full already: that is what was asked for.
        }
        return filler;
    }

    @Test
    void onARealDiskThatFillsUpWritesAreRefusedAndResumeWhenSpaceIsFreedWithNothingAcknowledgedLost()
            throws Exception {
        Path disk = smallDisk(160);
        storage = RocksStorage.open(disk.resolve("store"));
        listen();
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queues.append(Appends.accepted(message("before-" + i))).get(10, TimeUnit.SECONDS);
            acknowledged.add("before-" + i);
        }
        Path filler = fill(disk, 256);

        // RocksDB preallocated room for its write-ahead log and holds 64 MiB in memory: about
        // that much is written before the disk says no.
        StorageUnavailableException why = null;
        for (int i = 0; i < 5_000 && why == null; i++) {
            List<QueuedMessage> batch = new ArrayList<>();
            for (int j = 0; j < 100; j++) {
                batch.add(message("filling-" + i + "-" + j));
            }
            CompletableFuture<Void> append = queues.append(Appends.accepted(batch.toArray(QueuedMessage[]::new)));
            Throwable failure = append.handle((ok, e) -> e).get(30, TimeUnit.SECONDS);
            if (failure == null) {
                batch.forEach(m -> acknowledged.add(m.clientMessageId()));
            } else {
                why = StorageUnavailableException.of(failure);
                assertThat(why).as("refused as unavailable: %s", failure).isNotNull();
            }
        }
        assertThat(why).as("the disk filled up").isNotNull();
        assertThat(why.fault()).isEqualTo(StorageFault.DISK_FULL);
        assertThat(storage.health().fault()).contains(StorageFault.DISK_FULL);
        assertThat(unavailable(queues.append(Appends.accepted(message("while-full")))).fault())
                .isEqualTo(StorageFault.DISK_FULL);

        Files.delete(filler);
        awaitWritable();
        assertThat(heard).containsExactly("began DISK_FULL", "ended DISK_FULL");
        queues.append(Appends.accepted(message("after"))).get(10, TimeUnit.SECONDS);
        acknowledged.add("after");

        storage.closeLikeACrash();
        storage = RocksStorage.open(disk.resolve("store"));
        assertThat(new RocksDeliveryQueues(storage).peek(ALICE, Integer.MAX_VALUE).join())
                .extracting(QueuedMessage::clientMessageId).containsExactlyElementsOf(acknowledged);
    }

    @Test
    void aStartOnARealFullDiskIsRefusedAndChangesNothing() throws Exception {
        Path disk = smallDisk(128);
        storage = RocksStorage.open(disk.resolve("store"));
        for (int i = 0; i < 2_000; i++) {
            new RocksDeliveryQueues(storage).append(Appends.accepted(message("m-" + i))).get(10, TimeUnit.SECONDS);
        }
        // As after kill -9: the messages are in the write-ahead log, which an open would replay
        // into a new table file.
        storage.closeLikeACrash();
        storage = null;
        fill(disk, 1024);
        Map<String, byte[]> before = files(disk.resolve("store"));

        assertThatThrownBy(() -> RocksStorage.open(disk.resolve("store")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("MiB free")
                .hasMessageContaining("Nothing was changed; free space on that disk, then start again");

        Map<String, byte[]> after = files(disk.resolve("store"));
        assertThat(after.keySet()).as("no file added, rotated or removed").isEqualTo(before.keySet());
        for (Map.Entry<String, byte[]> file : before.entrySet()) {
            assertThat(after.get(file.getKey())).as("%s is unchanged", file.getKey()).isEqualTo(file.getValue());
        }
    }

    private static Map<String, byte[]> files(Path store) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(store)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
