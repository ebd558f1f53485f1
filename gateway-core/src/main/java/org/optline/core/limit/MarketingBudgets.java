package org.optline.core.limit;

import java.util.concurrent.CompletableFuture;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;

/**
 * A recipient's marketing budget, as the platform reads it: the offers every business together,
 * and each business, may still send within the rolling window. Read on a store thread (a
 * recipient whose window is not cached is read from the store).
 */
public final class MarketingBudgets {
    private final AntiSpamLimits limits;
    private final StoreExecutor executor;

    public MarketingBudgets(AntiSpamLimits limits, StoreExecutor executor) {
        this.limits = limits;
        this.executor = executor;
    }

    public CompletableFuture<MarketingBudget> of(PhoneNumber recipient) {
        return executor.call(() -> CompletableFuture.completedFuture(limits.budget(recipient)));
    }
}
