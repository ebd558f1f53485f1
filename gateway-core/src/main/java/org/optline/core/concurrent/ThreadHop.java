package org.optline.core.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Starts asynchronous work on another thread and hands back its outcome, whatever happens on
 * the way: the work's own future, an exception thrown while starting it, or the executor
 * refusing it (its queue full, or stopped), which the caller names.
 */
public final class ThreadHop {
    private ThreadHop() {}

    public static <T> CompletableFuture<T> call(Executor executor, Supplier<CompletableFuture<T>> work,
                                                Function<RejectedExecutionException, ? extends Throwable> whenRefused) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    work.get().whenComplete((value, failure) -> {
                        if (failure != null) {
                            answer.completeExceptionally(failure);
                        } else {
                            answer.complete(value);
                        }
                    });
                } catch (RuntimeException | Error e) {
                    answer.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(whenRefused.apply(e));
        }
        return answer;
    }
}
