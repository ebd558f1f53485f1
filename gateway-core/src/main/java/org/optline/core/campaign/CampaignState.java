package org.optline.core.campaign;

/**
 * Where a campaign is in its life: DRAFT → SCHEDULED → RUNNING → PAUSED ↔ RUNNING → COMPLETED,
 * or CANCELLED from any state that is not finished.
 */
public enum CampaignState {
    /** Being prepared: its audience may be uploaded; nothing is sent. */
    DRAFT,
    /** Waiting for its start time; the audience is frozen. */
    SCHEDULED,
    /** Sending at its pace. */
    RUNNING,
    /** Stopped by the marketer; resumes where it stopped. */
    PAUSED,
    /** Everyone in the audience was sent to, held back for good, or dropped at the end time. */
    COMPLETED,
    /** Stopped for good by the marketer; whoever was not sent to yet never is. */
    CANCELLED;

    /** True for the states a campaign never leaves. */
    public boolean isFinished() {
        return this == COMPLETED || this == CANCELLED;
    }
}
