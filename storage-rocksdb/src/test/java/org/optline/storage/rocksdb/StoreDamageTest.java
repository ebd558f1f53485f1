package org.optline.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentState;
import org.optline.core.message.Category;
import org.optline.core.message.Reason;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StorageException;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageUnavailableException;
import org.optline.core.testing.Appends;
import org.optline.core.testing.MutableClock;

/**
 * A real store on disk, damaged the ways disks and operators damage stores: the newest
 * write-ahead log cut in half, emptied or deleted, after a clean stop and after a crash; a torn
 * tail of a write never acknowledged; a table file with a flipped data block; a disk without
 * room to open. Nothing acknowledged is ever lost silently: either it is all there, or the store
 * refuses to start and is left exactly as it was.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreDamageTest {
    private static final String BANK = "test-bank";
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final PhoneNumber ALICE = PhoneNumber.parse("+447911100001").orElseThrow();
    private static final PhoneNumber BOB = PhoneNumber.parse("+447911100002").orElseThrow();

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);
    private RocksStorage storage;

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    private Path store() {
        return temp.resolve("store");
    }

    /** What an operator or a disk can do to the newest write-ahead log. */
    enum WalDamage {
        CUT_IN_HALF, EMPTIED, DELETED
    }

    private QueuedMessage message(PhoneNumber recipient, String clientMessageId) {
        return new QueuedMessage(ids.next(), BANK, clientMessageId, recipient, Category.TRANSACTIONAL, false,
                "Your balance is 120.50 EUR (" + clientMessageId + ")", clock.instant(), 0, "");
    }

    /** Appends {@code count} messages to the recipient in groups of ten, each acknowledged before the next. */
    private List<QueuedMessage> accept(RocksDeliveryQueues queues, PhoneNumber recipient, String prefix, int count)
            throws Exception {
        List<QueuedMessage> accepted = new ArrayList<>();
        for (int i = 0; i < count; i += 10) {
            List<QueuedMessage> group = new ArrayList<>();
            for (int j = i; j < Math.min(count, i + 10); j++) {
                group.add(message(recipient, prefix + j));
            }
            queues.append(Appends.accepted(group.toArray(QueuedMessage[]::new))).get(10, TimeUnit.SECONDS);
            accepted.addAll(group);
        }
        return accepted;
    }

    private ConsentChange optIn(PhoneNumber recipient) {
        return new ConsentChange(recipient, BANK, ConsentAction.OPT_IN, ConsentClass.TRANSACTIONAL, ConsentSource.APP,
                "v1", clock.instant());
    }

    private static Path newestWal(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new AssertionError("no write-ahead log in " + store));
        }
    }

    private static void damage(Path wal, WalDamage how) throws IOException {
        switch (how) {
            case CUT_IN_HALF -> {
                try (RandomAccessFile file = new RandomAccessFile(wal.toFile(), "rw")) {
                    file.setLength(file.length() / 2);
                }
            }
            case EMPTIED -> {
                try (RandomAccessFile file = new RandomAccessFile(wal.toFile(), "rw")) {
                    file.setLength(0);
                }
            }
            case DELETED -> Files.delete(wal);
        }
    }

    /** Every file of the store and its bytes, RocksDB's info log included. */
    private static Map<String, byte[]> files(Path store) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(store)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (Files.isRegularFile(p)) {
                    files.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    private static void assertUnchanged(Path store, Map<String, byte[]> before) throws IOException {
        Map<String, byte[]> after = files(store);
        assertThat(after.keySet()).as("the store's files").containsExactlyElementsOf(before.keySet());
        for (Map.Entry<String, byte[]> file : before.entrySet()) {
            assertThat(after.get(file.getKey())).as("%s is unchanged", file.getKey()).isEqualTo(file.getValue());
        }
    }

    // --- the write-ahead log ---

    @ParameterizedTest(name = "newest log {0}")
    @EnumSource(WalDamage.class)
    void afterACleanStopNothingAcknowledgedDependsOnTheWriteAheadLog(WalDamage how) throws Exception {
        storage = RocksStorage.open(store());
        List<QueuedMessage> accepted = accept(new RocksDeliveryQueues(storage), ALICE, "a", 200);
        new RocksConsentStore(storage).apply(optIn(BOB)).get(10, TimeUnit.SECONDS);
        storage.close();
        storage = null;

        damage(newestWal(store()), how);
        storage = RocksStorage.open(store());

        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        assertThat(queues.peek(ALICE, Integer.MAX_VALUE).join()).extracting(QueuedMessage::messageId)
                .containsExactlyElementsOf(accepted.stream().map(QueuedMessage::messageId).toList());
        RocksIdempotencyRecords records = new RocksIdempotencyRecords(storage, clock, WINDOW);
        for (QueuedMessage m : accepted) {
            assertThat(records.find(BANK, m.clientMessageId()).join()).as("a retry of %s", m.clientMessageId())
                    .hasValueSatisfying(first -> assertThat(first.reason()).isEqualTo(Reason.ACCEPTED));
        }
        assertThat(new RocksConsentStore(storage).get(new ConsentKey(BOB, BANK)).join().transactional())
                .isEqualTo(ConsentState.OPTED_IN);
        assertThat(storage.health().fault()).isEmpty();
    }

    @ParameterizedTest(name = "newest log {0}")
    @EnumSource(WalDamage.class)
    void aStoreThatComesBackBehindWhatItAcknowledgedIsRefusedAndLeftAsItWas(WalDamage how) throws Exception {
        storage = RocksStorage.open(store());
        accept(new RocksDeliveryQueues(storage), ALICE, "a", 200);
        storage.closeLikeACrash();
        storage = null;
        damage(newestWal(store()), how);
        Map<String, byte[]> before = files(store());

        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> RocksStorage.open(store()))
                    .as("attempt %d", attempt)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("the store in " + store() + " is corrupt")
                    .hasMessageContaining("acknowledged")
                    .hasMessageContaining("Nothing was changed; restore it from a backup");
            assertUnchanged(store(), before);
        }
    }

    @ParameterizedTest(name = "older log {0}")
    @EnumSource(value = WalDamage.class, names = {"CUT_IN_HALF", "DELETED"})
    void anOlderLogLostAfterACrashIsRefusedThoughTheNewerLogsReachTheLastCommit(WalDamage how) throws Exception {
        storage = RocksStorage.open(store());
        RocksConsentStore consents = new RocksConsentStore(storage);
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        for (int i = 0; i < 50; i++) {
            consents.apply(optIn(PhoneNumber.parse(String.format("+4479112%05d", i)).orElseThrow()))
                    .get(10, TimeUnit.SECONDS);
        }
        accept(queues, ALICE, "a", 50);
        // The inbox's memory table goes to a table file and a new log begins; the older log
        // still holds the consents, which no table file has yet.
        storage.flush(storage.inbox);
        accept(queues, ALICE, "b", 50);
        storage.closeLikeACrash();
        storage = null;
        Path oldest;
        try (Stream<Path> files = Files.list(store())) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            assertThat(logs).as("an older log and a newer one").hasSizeGreaterThan(1);
            oldest = logs.get(0);
        }
        damage(oldest, how);
        Map<String, byte[]> before = files(store());

        assertThatThrownBy(() -> RocksStorage.open(store()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("the store in " + store() + " is corrupt")
                .hasMessageContaining("Nothing was changed; restore it from a backup");
        assertUnchanged(store(), before);
    }

    @Test
    void aTornTailOfAWriteNeverAcknowledgedIsDroppedAndEverythingAcknowledgedIsThere() throws Exception {
        storage = RocksStorage.open(store());
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        List<QueuedMessage> acknowledged = accept(queues, ALICE, "a", 50);
        long acknowledgedUpTo = storage.durableCommit();
        Path wal = newestWal(store());
        long walBefore = Files.size(wal);
        accept(queues, ALICE, "torn-", 1);
        storage.closeLikeACrash();
        storage = null;
        // What kill -9 leaves when it lands while the last group is written: half of its record,
        // never fsync'd, so never acknowledged, and the mark not past the group before it.
        try (RandomAccessFile file = new RandomAccessFile(wal.toFile(), "rw")) {
            file.setLength(walBefore + (file.length() - walBefore) / 2);
        }
        AcknowledgedMark.write(store(), acknowledgedUpTo);

        storage = RocksStorage.open(store());

        assertThat(new RocksDeliveryQueues(storage).peek(ALICE, Integer.MAX_VALUE).join())
                .extracting(QueuedMessage::clientMessageId)
                .containsExactlyElementsOf(acknowledged.stream().map(QueuedMessage::clientMessageId).toList());
        assertThat(storage.health().fault()).isEmpty();
    }

    @Test
    void theMarkFollowsTheCommitsWhileTheStoreRunsAndIsExactAfterAClose() throws Exception {
        storage = RocksStorage.open(store());
        accept(new RocksDeliveryQueues(storage), ALICE, "a", 30);
        long durable = storage.durableCommit();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (AcknowledgedMark.read(store()).orElse(0) < durable && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(AcknowledgedMark.read(store())).as("brought up to date while running").hasValue(durable);

        accept(new RocksDeliveryQueues(storage), ALICE, "b", 10);
        long last = storage.durableCommit();
        storage.close();
        storage = null;
        assertThat(AcknowledgedMark.read(store())).hasValue(last);
    }

    // --- table files ---

    /** Flips bytes in the middle of the table file holding the queues, well before its index and footer. */
    private static String flipADataBlockOfTheQueues(Path store) throws Exception {
        Path table;
        try (Stream<Path> files = Files.list(store)) {
            table = files.filter(p -> p.getFileName().toString().endsWith(".sst"))
                    .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(table.toFile(), "rw")) {
            long middle = file.length() / 3;
            byte[] bytes = new byte[64];
            file.seek(middle);
            file.readFully(bytes);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) ~bytes[i];
            }
            file.seek(middle);
            file.write(bytes);
        }
        return table.getFileName().toString();
    }

    @Test
    void aDamagedDataBlockIsFoundAtStartAndTheStoreServesOnlyWhatIsWholeAndTakesNoWrites() throws Exception {
        storage = RocksStorage.open(store());
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        accept(queues, ALICE, "a", 400);
        List<QueuedMessage> bobs = accept(queues, BOB, "b", 3);
        storage.close();
        storage = null;
        String damaged = flipADataBlockOfTheQueues(store());
        Map<String, byte[]> before = files(store());

        storage = RocksStorage.open(store());

        assertThat(storage.health().fault()).contains(StorageFault.CORRUPT);
        assertThat(storage.health().detail()).contains("column family inbox").contains(damaged)
                .doesNotContain(ALICE.e164()).doesNotContain("447911100001");
        RocksDeliveryQueues reopened = new RocksDeliveryQueues(storage);
        assertThat(reopened.peek(ALICE, Integer.MAX_VALUE))
                .as("a queue through the damage is an error, never a shorter queue")
                .failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingRootCause().isInstanceOf(org.rocksdb.RocksDBException.class);
        assertThat(reopened.peek(BOB, Integer.MAX_VALUE).join()).extracting(QueuedMessage::clientMessageId)
                .containsExactlyElementsOf(bobs.stream().map(QueuedMessage::clientMessageId).toList());
        var refused = reopened.append(Appends.accepted(message(BOB, "after-damage")));
        assertThat(refused).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .withCauseInstanceOf(StorageUnavailableException.class);
        assertThat(StorageUnavailableException.of(refused.handle((ok, e) -> e).join()).fault())
                .isEqualTo(StorageFault.CORRUPT);
        storage.close();
        storage = null;
        assertUnchanged(store(), before);
    }

    @Test
    void damageMetByAReadWhileRunningIsReportedOnceAndStopsTheWrites() throws Exception {
        storage = RocksStorage.open(store());
        accept(new RocksDeliveryQueues(storage), ALICE, "a", 400);
        storage.close();
        storage = RocksStorage.open(store());
        assertThat(storage.health().fault()).isEmpty();
        List<String> heard = new ArrayList<>();
        storage.health().watch(new org.optline.core.storage.StorageHealth.Listener() {
            @Override
            public void faultBegan(StorageFault fault, String detail) {
                heard.add(fault + ": " + detail);
            }

            @Override
            public void faultEnded(StorageFault fault, String detail) {
                heard.add("ended " + fault);
            }
        });

        flipADataBlockOfTheQueues(store());
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        for (int read = 0; read < 3; read++) {
            assertThat(queues.peek(ALICE, Integer.MAX_VALUE)).failsWithin(Duration.ofSeconds(5))
                    .withThrowableThat().withCauseInstanceOf(StorageUnavailableException.class);
        }

        assertThat(heard).singleElement().asString().startsWith("CORRUPT: ").contains("column family inbox");
        assertThat(queues.append(Appends.accepted(message(BOB, "after-damage"))))
                .failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .withCauseInstanceOf(StorageUnavailableException.class);
    }

    // --- a disk without room ---

    @Test
    void anOpenOnADiskWithoutRoomIsRefusedBeforeAnythingIsTouched() throws Exception {
        storage = RocksStorage.open(store());
        accept(new RocksDeliveryQueues(storage), ALICE, "a", 50);
        storage.closeLikeACrash();
        storage = null;
        Map<String, byte[]> before = files(store());

        assertThatThrownBy(() -> RocksStorage.open(store(), dir -> 10L << 20))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("its disk has 10 MiB free")
                .hasMessageContaining("at least 64 MiB")
                .hasMessageContaining("Nothing was changed; free space on that disk, then start again");

        assertUnchanged(store(), before);
    }
}
