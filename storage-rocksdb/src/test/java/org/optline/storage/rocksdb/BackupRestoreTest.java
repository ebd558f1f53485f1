package org.optline.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentState;
import org.optline.core.message.Category;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StorageException;
import org.optline.core.storage.StoreBackup;
import org.optline.core.testing.Appends;
import org.optline.core.testing.MutableClock;

/**
 * Online backup (a checkpoint of the running store, checked) and offline restore: every write
 * acknowledged before the backup began is in the restored store, and a damaged backup or a store
 * in use is refused without changing anything.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackupRestoreTest {
    private static final String BANK = "test-bank";
    private static final PhoneNumber ALICE = PhoneNumber.parse("+447911100001").orElseThrow();
    private static final PhoneNumber BOB = PhoneNumber.parse("+447911100002").orElseThrow();

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);
    private final List<RocksStorage> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(RocksStorage::close);
    }

    private RocksStorage open(Path store) {
        return track(RocksStorage.open(store));
    }

    private RocksStorage track(RocksStorage storage) {
        open.add(storage);
        return storage;
    }

    private QueuedMessage message(PhoneNumber recipient, String clientMessageId) {
        return new QueuedMessage(ids.next(), BANK, clientMessageId, recipient, Category.TRANSACTIONAL, false,
                "Your balance is 120.50 EUR (" + clientMessageId + ")", clock.instant(), 0, "");
    }

    @Test
    void aBackupTakenWhileWritesGoOnRestoresEveryWriteAcknowledgedBeforeIt() throws Exception {
        RocksStorage storage = open(temp.resolve("store"));
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        RocksConsentStore consents = new RocksConsentStore(storage);
        List<QueuedMessage> before = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            QueuedMessage m = message(i % 2 == 0 ? ALICE : BOB, "before-" + i);
            queues.append(Appends.accepted(m)).get(10, TimeUnit.SECONDS);
            before.add(m);
        }
        consents.apply(new ConsentChange(ALICE, BANK, ConsentAction.OPT_IN, ConsentClass.MARKETING, ConsentSource.APP,
                "v1", clock.instant())).get(10, TimeUnit.SECONDS);
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Integer> meanwhile = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            while (writing.get()) {
                queues.append(Appends.accepted(message(BOB, "during-" + n++))).join();
            }
            return n;
        });

        Path backups = Files.createDirectories(temp.resolve("backups"));
        StoreBackup backup = storage.backup(backups.resolve("b1"));
        writing.set(false);
        assertThat(meanwhile.get(10, TimeUnit.SECONDS)).as("writes went on during the backup").isPositive();

        assertThat(backup.directory()).isEqualTo(backups.resolve("b1"));
        assertThat(backup.commit()).isGreaterThanOrEqualTo(301);
        assertThat(AcknowledgedMark.read(backup.directory())).hasValue(backup.commit());
        RocksStorage.Restored restored = RocksStorage.restore(backup.directory(), temp.resolve("fresh/store"));
        assertThat(restored.replaced()).isNull();
        assertThat(restored.commit()).isEqualTo(backup.commit());

        storage.close();
        open.remove(storage);
        // The keys directory is not in the backup: the restored store opens with the node's own.
        RocksStorage copy = track(RocksStorage.open(temp.resolve("fresh/store"), RocksStorage.keysBeside(temp.resolve("store"))));
        RocksDeliveryQueues copied = new RocksDeliveryQueues(copy);
        for (QueuedMessage m : before) {
            assertThat(copied.find(m.messageId()).join()).as(m.clientMessageId()).isPresent();
        }
        assertThat(copied.peek(ALICE, Integer.MAX_VALUE).join()).extracting(QueuedMessage::clientMessageId)
                .containsExactlyElementsOf(before.stream().filter(m -> m.recipient().equals(ALICE))
                        .map(QueuedMessage::clientMessageId).toList());
        assertThat(new RocksConsentStore(copy).get(new ConsentKey(ALICE, BANK)).join().marketing())
                .isEqualTo(ConsentState.OPTED_IN);
        assertThat(copy.health().fault()).isEmpty();
    }

    @Test
    void restoringOverAStoreMovesItAsideAndNeverDeletesIt() throws Exception {
        RocksStorage storage = open(temp.resolve("store"));
        QueuedMessage kept = message(ALICE, "in-backup");
        new RocksDeliveryQueues(storage).append(Appends.accepted(kept)).get(10, TimeUnit.SECONDS);
        StoreBackup backup = storage.backup(temp.resolve("b1"));
        new RocksDeliveryQueues(storage).append(Appends.accepted(message(ALICE, "after-backup")))
                .get(10, TimeUnit.SECONDS);
        storage.close();
        open.remove(storage);

        RocksStorage.Restored restored = RocksStorage.restore(backup.directory(), temp.resolve("store"));

        assertThat(restored.replaced()).isNotNull().isDirectory();
        assertThat(restored.replaced().getFileName().toString()).startsWith("store.replaced-");
        RocksStorage back = open(temp.resolve("store"));
        assertThat(new RocksDeliveryQueues(back).peek(ALICE, 10).join()).extracting(QueuedMessage::clientMessageId)
                .containsExactly("in-backup");
        back.close();
        open.remove(back);
        RocksStorage aside = open(restored.replaced());
        assertThat(new RocksDeliveryQueues(aside).peek(ALICE, 10).join()).extracting(QueuedMessage::clientMessageId)
                .containsExactly("in-backup", "after-backup");
    }

    @Test
    void aDamagedBackupIsNotRestoredAndTheStoreInPlaceIsUntouched() throws Exception {
        RocksStorage storage = open(temp.resolve("store"));
        for (int i = 0; i < 400; i++) {
            new RocksDeliveryQueues(storage).append(Appends.accepted(message(ALICE, "m-" + i)))
                    .get(10, TimeUnit.SECONDS);
        }
        StoreBackup backup = storage.backup(temp.resolve("b1"));
        storage.close();
        open.remove(storage);
        Path table;
        try (Stream<Path> files = Files.list(backup.directory())) {
            table = files.filter(p -> p.toString().endsWith(".sst"))
                    .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
        // The backup's table files may be hard links to the store's: break the link before damaging it.
        Path copy = table.resolveSibling("copy");
        Files.copy(table, copy);
        Files.move(copy, table, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile file = new RandomAccessFile(table.toFile(), "rw")) {
            file.seek(file.length() / 3);
            file.write(new byte[64]);
        }
        List<String> storeFiles;
        try (Stream<Path> files = Files.list(temp.resolve("store"))) {
            storeFiles = files.map(p -> p.getFileName().toString()).sorted().toList();
        }

        assertThatThrownBy(() -> RocksStorage.restore(backup.directory(), temp.resolve("store")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("the backup in " + backup.directory() + " is damaged")
                .hasMessageContaining("Nothing was changed");

        try (Stream<Path> files = Files.list(temp.resolve("store"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(storeFiles);
        }
        try (Stream<Path> siblings = Files.list(temp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("store", "b1", "keys");
        }
    }

    @Test
    void aBackupIntoADirectoryThatExistsIsRefused() throws Exception {
        RocksStorage storage = open(temp.resolve("store"));
        Files.createDirectories(temp.resolve("taken"));

        assertThatThrownBy(() -> storage.backup(temp.resolve("taken")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot back up the store");
    }
}
