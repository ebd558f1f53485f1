package org.optline.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.storage.memory.InMemoryStorageEngine;
import org.optline.core.testing.ForwardingStorageEngine;
import org.optline.core.testing.MutableClock;

/** Backups as the operator asks for them: named or by the time, one at a time, never over another. */
class BackupServiceTest {
    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock();
    private final ArrayDeque<Runnable> backupThread = new ArrayDeque<>();
    private Path copiedTo;

    /** An engine whose copy is a directory with one file: what a real engine's backup is to the service. */
    private final StorageEngine engine = new ForwardingEngine() {
        @Override
        public StoreBackup backup(Path directory) {
            try {
                Files.createDirectory(directory);
                Files.writeString(directory.resolve("CURRENT"), "MANIFEST-000001\n");
            } catch (java.io.IOException e) {
                throw new StorageException("cannot copy: " + e.getMessage(), e);
            }
            copiedTo = directory;
            return new StoreBackup(directory, 42, 1, 16);
        }
    };

    private BackupService service(StorageEngine engine) {
        return new BackupService(engine, root.resolve("backups"), backupThread::add, clock);
    }

    private static BackupService.Result run(CompletableFuture<BackupService.Result> answer, ArrayDeque<Runnable> on) {
        while (!on.isEmpty()) {
            on.poll().run();
        }
        return answer.join();
    }

    @Test
    void aBackupWithoutANameIsNamedByTheTimeAndMadeOnTheBackupThread() {
        clock.set(Instant.parse("2026-11-30T02:00:00Z"));
        CompletableFuture<BackupService.Result> answer = service(engine).backup("");
        assertThat(answer).as("made on the backup thread, not the caller's").isNotDone();

        BackupService.Result result = run(answer, backupThread);

        assertThat(result).isInstanceOfSatisfying(BackupService.Result.Made.class, made -> {
            assertThat(made.name()).isEqualTo("backup-20261130T020000Z");
            assertThat(made.backup().directory()).isEqualTo(root.resolve("backups/backup-20261130T020000Z"));
        });
        assertThat(copiedTo).isDirectory();
    }

    @Test
    void aNameThatIsNotAPlainDirectoryNameIsRefusedBeforeAnythingIsDone() {
        for (String name : new String[] {"../escape", "a/b", ".hidden", "-flag", "x".repeat(65), "sp ace"}) {
            assertThat(service(engine).backup(name).join()).as(name).isInstanceOf(BackupService.Result.InvalidName.class);
        }
        assertThat(backupThread).isEmpty();
        assertThat(root.resolve("backups")).doesNotExist();
    }

    @Test
    void aBackupNeverGoesOverAnotherAndOnlyOneIsMadeAtATime() {
        BackupService service = service(engine);
        CompletableFuture<BackupService.Result> first = service.backup("nightly");

        assertThat(service.backup("other").join()).isInstanceOf(BackupService.Result.InProgress.class);
        assertThat(run(first, backupThread)).isInstanceOf(BackupService.Result.Made.class);
        assertThat(service.backup("nightly").join()).isInstanceOf(BackupService.Result.AlreadyExists.class);
        assertThat(run(service.backup("other"), backupThread)).isInstanceOf(BackupService.Result.Made.class);
    }

    @Test
    void aNodeInMemoryHasNothingToBackUp() {
        assertThat(run(service(new InMemoryStorageEngine()).backup("x"), backupThread))
                .isInstanceOf(BackupService.Result.NotDurable.class);
    }

    @Test
    void aCopyThatFailsSaysWhyAndTheNextBackupMayRun() {
        StorageEngine failing = new ForwardingEngine() {
            @Override
            public StoreBackup backup(Path directory) {
                throw new StorageException("cannot back up the store into " + directory + ": Permission denied", null);
            }
        };
        BackupService service = service(failing);

        assertThat(run(service.backup("x"), backupThread)).isInstanceOfSatisfying(BackupService.Result.Failed.class,
                failed -> assertThat(failed.why()).contains("Permission denied"));
        assertThat(run(service.backup("y"), backupThread)).isInstanceOf(BackupService.Result.Failed.class);
    }

    /** The in-memory engine with its backup replaced. */

    /** The in-memory engine, with the backup a test gives it. */
    private abstract static class ForwardingEngine extends ForwardingStorageEngine {
        ForwardingEngine() {
            super(new InMemoryStorageEngine());
        }
    }
}
