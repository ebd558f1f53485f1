/**
 * Limits that hold spam back: {@link org.optline.core.limit.ThroughputLimiter} (per-business
 * token bucket) and {@link org.optline.core.limit.AntiSpamLimits} (tiers, frequency caps,
 * duplicate content, paused businesses).
 */
package org.optline.core.limit;
