/**
 * Limits that hold spam back: {@link org.optline.core.limit.ThroughputLimiter} (per-business
 * token bucket) and {@link org.optline.core.limit.AntiSpamLimits} (tiers, frequency caps,
 * duplicate content, paused businesses), whose windows are kept by a
 * {@link org.optline.core.limit.LimitStore} of the storage seam and written with the messages that
 * counted them ({@link org.optline.core.limit.AntiSpamCounts}); a recipient's remaining budget is
 * read through {@link org.optline.core.limit.MarketingBudgets}. Admission runs the limits on its
 * pool; their periodic work ({@link org.optline.core.limit.AntiSpamLimits#tick()}) runs on a store thread.
 */
package org.optline.core.limit;
