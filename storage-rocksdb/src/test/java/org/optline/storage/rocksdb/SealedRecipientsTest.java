package org.optline.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.campaign.AudienceRow;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentState;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Settlement;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.limit.AntiSpamCounts;
import org.optline.core.limit.Contact;
import org.optline.core.limit.MarketingSend;
import org.optline.core.message.Category;
import org.optline.core.message.Reason;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.recipient.RecipientSecret;
import org.optline.core.storage.StorageException;
import org.optline.core.testing.MutableClock;

/**
 * Recipients at rest, on real stores in a temporary directory: a store of the earlier layout
 * (written by this version's own code with numbers in clear) moved to tokens and sealed numbers
 * with everything kept, a move cut by a crash, no number in any file afterwards, a copy without
 * the secret that reveals nothing and is refused, and an erasure that a backup cannot undo.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SealedRecipientsTest {
    private static final String BANK = "acme-bank";
    private static final PhoneNumber ALICE = PhoneNumber.parse("+447911123456").orElseThrow();
    private static final PhoneNumber BOB = PhoneNumber.parse("+14155550123").orElseThrow();
    private static final List<PhoneNumber> EVERYONE = List.of(ALICE, BOB);

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);
    private final List<RocksStorage> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(RocksStorage::close);
    }

    private RocksStorage track(RocksStorage storage) {
        open.add(storage);
        return storage;
    }

    private void close(RocksStorage storage) {
        storage.close();
        open.remove(storage);
    }

    private Path store() {
        return temp.resolve("data/store");
    }

    private Path keys() {
        return temp.resolve("keys");
    }

    /** What the fixture wrote, to be found again after the move. */
    private record Written(List<QueuedMessage> queued, QueuedMessage delivered) {}

    /**
     * Writes one of everything that holds a number through the engine's own stores: consents and
     * their audit trail, a consent request, queued messages with their idempotency records and
     * anti-spam counts, a delivered message's status, a campaign audience.
     */
    private Written fill(RocksStorage storage) throws Exception {
        RocksConsentStore consents = new RocksConsentStore(storage);
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        for (PhoneNumber recipient : EVERYONE) {
            consents.apply(new ConsentChange(recipient, BANK, ConsentAction.OPT_IN, ConsentClass.MARKETING,
                    ConsentSource.APP, "v1", clock.instant())).get(10, TimeUnit.SECONDS);
        }
        new RocksConsentRequestStore(storage).recordAsked(BANK, BOB, ConsentClass.TRANSACTIONAL, clock.instant())
                .get(10, TimeUnit.SECONDS);
        List<QueuedMessage> queued = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            PhoneNumber recipient = EVERYONE.get(i % 2);
            clock.advance(Duration.ofMillis(10));
            QueuedMessage message = new QueuedMessage(ids.next(), BANK, "c-" + i, recipient, Category.MARKETING,
                    false, "Spring sale " + i, clock.instant(), 3600, "");
            AntiSpamCounts counts = new AntiSpamCounts(BANK, recipient, clock.millis(), 0,
                    new MarketingSend(BANK, clock.millis(), 42 + i));
            queues.append(List.of(new Accepted(message, IdempotencyRecord.acceptance(message), counts)))
                    .get(10, TimeUnit.SECONDS);
            queued.add(message);
        }
        QueuedMessage delivered = queued.remove(0);
        queues.settle(delivered.recipient(), List.of(delivered.messageId()), Settlement.DELIVERED, clock.instant())
                .get(10, TimeUnit.SECONDS);
        new RocksCampaignStore(storage).appendAudience("campaign-1", List.of(
                new AudienceRow(0, ALICE, List.of("Alice")), new AudienceRow(0, BOB, List.of("Bob"))))
                .get(10, TimeUnit.SECONDS);
        return new Written(queued, delivered);
    }

    private void assertEverythingIsThere(RocksStorage storage, Written written) {
        RocksConsentStore consents = new RocksConsentStore(storage);
        RocksDeliveryQueues queues = new RocksDeliveryQueues(storage);
        for (PhoneNumber recipient : EVERYONE) {
            assertThat(consents.get(new ConsentKey(recipient, BANK)).join().marketing()).isEqualTo(ConsentState.OPTED_IN);
            assertThat(consents.history(recipient).join()).extracting(ConsentChange::recipient).containsExactly(recipient);
            assertThat(queues.peek(recipient, 100).join()).as("the queue of %s, in order", recipient)
                    .containsExactlyElementsOf(written.queued().stream().filter(m -> m.recipient().equals(recipient))
                            .toList());
        }
        assertThat(new RocksConsentRequestStore(storage).lastAsked(BANK, BOB, ConsentClass.TRANSACTIONAL).join())
                .isPresent();
        RocksIdempotencyRecords idempotency = new RocksIdempotencyRecords(storage, clock, Duration.ofHours(24));
        for (QueuedMessage message : written.queued()) {
            assertThat(queues.find(message.messageId()).join()).contains(message);
            assertThat(idempotency.find(BANK, message.clientMessageId()).join()).get()
                    .extracting(o -> o.reason(), o -> o.messageId()).containsExactly(Reason.ACCEPTED, message.messageId());
        }
        var status = new RocksMessageHistory(storage, clock, Duration.ofHours(24)).record(written.delivered().messageId()).join().orElseThrow();
        assertThat(status.state()).isEqualTo(MessageState.DELIVERED);
        assertThat(status.recipient()).isEqualTo(written.delivered().recipient());
        RocksLimitStore limits = new RocksLimitStore(storage);
        assertThat(limits.lastContact(BANK, ALICE)).isPositive();
        assertThat(limits.marketing(BOB, 0)).hasSize(3);
        assertThat(limits.contacts(BANK, null, Long.MAX_VALUE, 100)).extracting(Contact::recipient)
                .containsOnly(ALICE, BOB);
        assertThat(new RocksCampaignStore(storage).audience("campaign-1", 0, 10).join())
                .extracting(AudienceRow::recipient).containsExactly(ALICE, BOB);
    }

    /** The files under {@code directory} that hold any of the recipients' numbers, as ASCII digits. */
    private static List<String> filesWithANumber(Path directory) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] bytes = Files.readAllBytes(file);
                for (PhoneNumber number : EVERYONE) {
                    if (indexOf(bytes, number.e164().substring(1).getBytes(StandardCharsets.US_ASCII)) >= 0) {
                        found.add(directory.relativize(file) + " holds " + number.masked());
                    }
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aStoreOfTheEarlierLayoutIsMovedToSealedNumbersWithEverythingKeptAndNoNumberLeftInAnyFile()
            throws Exception {
        RocksStorage earlier = track(RocksStorage.createInEarlierLayout(store()));
        Written written = fill(earlier);
        close(earlier);
        assertThat(filesWithANumber(temp)).as("the earlier layout keeps numbers in clear").isNotEmpty();

        RocksStorage sealed = track(RocksStorage.open(store(), keys()));

        assertEverythingIsThere(sealed, written);
        sealed.compactAll();
        close(sealed);
        assertThat(filesWithANumber(temp)).as("no file of the data or keys directory holds a number").isEmpty();
        assertThat(Files.list(store().getParent()).map(p -> p.getFileName().toString()))
                .as("the old layout was deleted").containsExactly("store");
        sealed = track(RocksStorage.open(store(), keys()));
        assertEverythingIsThere(sealed, written);
        QueuedMessage after = new QueuedMessage(ids.next(), BANK, "after", ALICE, Category.TRANSACTIONAL, false,
                "Your code", clock.instant(), 0, "");
        new RocksDeliveryQueues(sealed).append(List.of(new Accepted(after, IdempotencyRecord.acceptance(after),
                AntiSpamCounts.NONE))).get(10, TimeUnit.SECONDS);
        assertThat(new RocksDeliveryQueues(sealed).peek(ALICE, 100).join()).extracting(QueuedMessage::clientMessageId)
                .as("sequences go on after the moved ones").endsWith("after");
    }

    @Test
    void aMoveCutByACrashBeforeTheSwapStartsOverAndLosesNothing() throws Exception {
        RocksStorage earlier = track(RocksStorage.createInEarlierLayout(store()));
        Written written = fill(earlier);
        close(earlier);
        // The copy was written but the node died before the swap: the old store is whole.
        earlier = track(RocksStorage.openAsLaidOut(store(), keys(), dir -> Long.MAX_VALUE));
        new SealingMigration(earlier, keys()).copy();
        close(earlier);
        assertThat(store().resolveSibling("store.sealing")).isDirectory();

        RocksStorage sealed = track(RocksStorage.open(store(), keys()));

        assertEverythingIsThere(sealed, written);
        assertThat(store().resolveSibling("store.sealing")).doesNotExist();
    }

    @Test
    void aMoveCutByACrashBetweenTheTwoRenamesIsFinishedAtTheNextStart() throws Exception {
        RocksStorage earlier = track(RocksStorage.createInEarlierLayout(store()));
        Written written = fill(earlier);
        close(earlier);
        earlier = track(RocksStorage.openAsLaidOut(store(), keys(), dir -> Long.MAX_VALUE));
        new SealingMigration(earlier, keys()).copy();
        close(earlier);
        Files.move(store(), store().resolveSibling("store.unsealed"));

        RocksStorage sealed = track(RocksStorage.open(store(), keys()));

        assertEverythingIsThere(sealed, written);
        assertThat(store().resolveSibling("store.unsealed")).doesNotExist();
        assertThat(store().resolveSibling("store.sealing")).doesNotExist();
    }

    @Test
    void aNewStoreMakesItsSecretOwnerOnlyOutsideTheDataDirectory() throws Exception {
        close(track(RocksStorage.open(store(), keys())));

        Path secret = keys().resolve(RecipientSecret.FILE_NAME);
        assertThat(secret).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys()))).isEqualTo("rwx------");
    }

    @Test
    void aCopiedDataDirectoryRevealsNoNumberAndWithoutItsSecretIsRefused() throws Exception {
        RocksStorage storage = track(RocksStorage.open(store(), keys()));
        fill(storage);
        storage.compactAll();
        close(storage);
        Path copy = temp.resolve("stolen/store");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(store())) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }

        assertThat(filesWithANumber(temp.resolve("stolen"))).isEmpty();
        assertThat(filesWithANumber(temp)).isEmpty();
        List<String> copied;
        try (Stream<Path> files = Files.list(copy)) {
            copied = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThatThrownBy(() -> RocksStorage.open(copy, temp.resolve("no-keys")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("recipient secret")
                .hasMessageContaining("is missing, but the store exists")
                .hasMessageNotContaining(ALICE.e164().substring(1));
        assertThat(temp.resolve("no-keys/" + RecipientSecret.FILE_NAME)).as("no new secret made").doesNotExist();
        try (Stream<Path> files = Files.list(copy)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).as("nothing was changed")
                    .isEqualTo(copied);
        }
        RecipientSecret.create(temp.resolve("other-keys"));
        assertThatThrownBy(() -> RocksStorage.open(copy, temp.resolve("other-keys")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is not the one the store in");
    }

    @Test
    void afterAnErasureABackupTakenBeforeItNoLongerOpensTheRecipientsNumbers() throws Exception {
        RocksStorage storage = track(RocksStorage.open(store(), keys()));
        Written written = fill(storage);
        storage.backup(temp.resolve("backup"));
        new RocksDeliveryQueues(storage).erase(ALICE).get(10, TimeUnit.SECONDS);
        close(storage);

        RocksStorage.restore(temp.resolve("backup"), temp.resolve("restored/store"));
        RocksStorage restored = track(RocksStorage.open(temp.resolve("restored/store"), keys()));

        List<QueuedMessage> alices = new RocksDeliveryQueues(restored).peek(ALICE, 100).join();
        assertThat(alices).as("the backup still has the messages").hasSize(2);
        assertNoneIs(alices.stream().map(QueuedMessage::recipient).toList(), ALICE);
        assertThat(restored.numbers().openIfKept(restored.numbers().seal(BOB))).contains(BOB);
        assertThat(new RocksDeliveryQueues(restored).peek(BOB, 100).join()).extracting(QueuedMessage::recipient)
                .containsOnly(BOB);
        assertThat(new RocksCampaignStore(restored).audience("campaign-1", 0, 10).join())
                .extracting(AudienceRow::recipient).doesNotContain(ALICE).contains(BOB);
        assertThat(written.queued()).isNotEmpty();
    }

    private static void assertNoneIs(List<PhoneNumber> found, PhoneNumber erased) {
        for (PhoneNumber number : found) {
            assertThat(number).isNotEqualTo(erased);
            assertThat(number.e164()).doesNotContain(erased.e164().substring(1)).startsWith("#");
        }
    }

    @Test
    void aSealedNumberThatWasChangedDoesNotOpen() throws Exception {
        RocksStorage storage = track(RocksStorage.open(store(), keys()));
        byte[] sealed = storage.numbers().encrypt(ALICE);
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> storage.numbers().open(sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining(ALICE.e164());
        assertThat(storage.numbers().open(storage.numbers().seal(BOB))).isEqualTo(BOB);
    }
}
