package org.optline.core.quality;

/** What a recipient said about a business's message, as the platform reports it. */
public enum FeedbackKind {
    /** The person reported the message as spam: a complaint. */
    SPAM_REPORT,
    /** The person blocked the business: a complaint, and a consent block. */
    BLOCK,
    /** The person valued the message: read it, replied, tapped it. */
    POSITIVE;

    public boolean isComplaint() {
        return this != POSITIVE;
    }
}
