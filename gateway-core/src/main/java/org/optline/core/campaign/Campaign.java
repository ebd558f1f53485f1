package org.optline.core.campaign;

import java.time.Instant;
import java.util.Objects;
import org.optline.core.message.Category;

/**
 * A marketer's bulk send of one template (or one text) to an uploaded audience: what to send,
 * when and how fast, and where it stands. Immutable; every change makes a new value that the
 * scheduler stores before it is in effect.
 *
 * @param templateName the business's template to fill with each member's parameters; null for a text campaign
 * @param text the text sent to every member; null for a template campaign
 * @param startAt when it may start; null for "as soon as it is scheduled"
 * @param endAt after this, whatever was not sent is dropped and counted; null for no end
 * @param pacePerSecond the most messages a second it asks for; the scheduler may give it less
 *     (the business's throughput is shared)
 */
public record Campaign(
        String id,
        String businessId,
        String name,
        String templateName,
        String text,
        Category declaredCategory,
        Instant createdAt,
        Instant startAt,
        Instant endAt,
        int pacePerSecond,
        QuietHours quietHours,
        CampaignState state,
        AudienceSummary audience,
        Progress progress) {

    public Campaign {
        Objects.requireNonNull(id);
        Objects.requireNonNull(businessId);
        Objects.requireNonNull(name);
        Objects.requireNonNull(declaredCategory);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(quietHours);
        Objects.requireNonNull(state);
        Objects.requireNonNull(audience);
        Objects.requireNonNull(progress);
        if ((templateName == null) == (text == null)) {
            throw new IllegalArgumentException("a campaign sends either a template or a text");
        }
    }

    public Campaign withState(CampaignState next) {
        return new Campaign(id, businessId, name, templateName, text, declaredCategory, createdAt, startAt, endAt,
                pacePerSecond, quietHours, next, audience, progress);
    }

    public Campaign withProgress(Progress next) {
        return new Campaign(id, businessId, name, templateName, text, declaredCategory, createdAt, startAt, endAt,
                pacePerSecond, quietHours, state, audience, next);
    }

    public Campaign withAudience(AudienceSummary next) {
        return new Campaign(id, businessId, name, templateName, text, declaredCategory, createdAt, startAt, endAt,
                pacePerSecond, quietHours, state, next, progress);
    }

    public Campaign withStartAt(Instant next) {
        return new Campaign(id, businessId, name, templateName, text, declaredCategory, createdAt, next, endAt,
                pacePerSecond, quietHours, state, audience, progress);
    }

    /** Members not sent to yet who still may be. */
    public long remaining() {
        return progress.remaining(audience.recipients());
    }

    /** Never prints more than the ids: a campaign's text is the business's own. */
    @Override
    public String toString() {
        return "Campaign[" + id + " of " + businessId + ", " + state + "]";
    }
}
