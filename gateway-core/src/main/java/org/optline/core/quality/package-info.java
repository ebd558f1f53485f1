/**
 * A business's quality, from its recipients' feedback: {@link org.optline.core.quality.FeedbackService}
 * (the platform's reports), {@link org.optline.core.quality.QualityService} (the rating over a
 * rolling window, marketing pauses, tier upgrades, the events a business reads, an operator's lift),
 * {@link org.optline.core.quality.QualityPolicy} (the thresholds), the live
 * {@link org.optline.core.quality.BusinessStandings} admission reads, and the
 * {@link org.optline.core.quality.QualityStore} of the storage seam.
 */
package org.optline.core.quality;
