package org.optline.core.campaign;

/**
 * What the campaign scheduler reports, for logs and metrics; the default does nothing. Called on
 * the scheduler's thread: implementations must be quick. Never given a phone number.
 */
public interface CampaignListener {
    CampaignListener NONE = new CampaignListener() {};

    /** A campaign moved from one state to another. */
    default void onStateChanged(Campaign campaign, CampaignState from) {}

    /** A step of a campaign failed (a store that could not be read or written); it is tried again. */
    default void onStepFailed(String campaignId, Throwable failure) {}

    /** Messages of a campaign got their final admission answer. */
    default void onSent(Campaign campaign, Counts outcomes) {}
}
