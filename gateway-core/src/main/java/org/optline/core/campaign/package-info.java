/**
 * Campaigns: a marketer's bulk send of one template to an uploaded audience, paced, held back in
 * each recipient's quiet hours, pausable, with progress and a report. Start at
 * {@link org.optline.core.campaign.CampaignService} (what transports call) and
 * {@link org.optline.core.campaign.CampaignScheduler} (what runs them: one thread of its own; every
 * message goes through {@link org.optline.core.submission.SubmissionService} like any other).
 * Storage is behind {@link org.optline.core.campaign.CampaignStore}, part of the engine seam.
 * Uploads are read on the import thread; store reads of progress and reports on the store threads.
 */
package org.optline.core.campaign;
