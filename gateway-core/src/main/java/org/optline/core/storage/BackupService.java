package org.optline.core.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Online backups of the node's store, for the operator: one at a time, each into a new directory
 * under the backup root, named by the operator or by the time. The copy runs on its own thread
 * (it takes seconds for a large store) and never on the caller's.
 */
public final class BackupService {
    /** A directory name that is safe in a shell, a URL and every file system. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("'backup-'yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final StorageEngine engine;
    private final Path root;
    private final Executor executor;
    private final InstantSource clock;
    private final AtomicBoolean running = new AtomicBoolean();

    /** The answer to a backup request. */
    public sealed interface Result {
        /** Made and checked, in {@code backup.directory()}. */
        record Made(String name, StoreBackup backup) implements Result {}

        /** The name is not a plain directory name: nothing was done. */
        record InvalidName() implements Result {}

        /** A backup of that name exists already: nothing was done. */
        record AlreadyExists(String name) implements Result {}

        /** Another backup is being made: nothing was done; ask again when it is over. */
        record InProgress() implements Result {}

        /** The node keeps its data in memory: there is nothing to back up. */
        record NotDurable() implements Result {}

        /** The copy failed for a reason an operator must fix (a permission, say); {@code why} says which. */
        record Failed(String why) implements Result {}
    }

    public BackupService(StorageEngine engine, Path root, Executor executor, InstantSource clock) {
        this.engine = engine;
        this.root = root;
        this.executor = executor;
        this.clock = clock;
    }

    /** The directory backups go into. */
    public Path root() {
        return root;
    }

    /**
     * Backs the store up into {@code <root>/<name>}; an empty name becomes {@code backup-<UTC time>}.
     * Fails with {@link StorageUnavailableException} when the disk cannot take the copy now.
     */
    public CompletableFuture<Result> backup(String requestedName) {
        String name = requestedName == null || requestedName.isEmpty() ? STAMP.format(clock.instant()) : requestedName;
        if (!NAME.matcher(name).matches()) {
            return CompletableFuture.completedFuture(new Result.InvalidName());
        }
        Path target = root.resolve(name);
        if (Files.exists(target)) {
            return CompletableFuture.completedFuture(new Result.AlreadyExists(name));
        }
        if (!running.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(new Result.InProgress());
        }
        CompletableFuture<Result> answer = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    answer.complete(make(name, target));
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                } finally {
                    running.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            running.set(false);
            answer.completeExceptionally(e);
        }
        return answer;
    }

    private Result make(String name, Path target) {
        try {
            Files.createDirectories(root);
            return new Result.Made(name, engine.backup(target));
        } catch (UnsupportedOperationException e) {
            return new Result.NotDurable();
        } catch (IOException | StorageException e) {
            return new Result.Failed(e instanceof IOException ? "cannot create " + root + ": " + e : e.getMessage());
        }
    }
}
