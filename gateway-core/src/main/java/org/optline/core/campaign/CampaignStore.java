package org.optline.core.campaign;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where campaigns, their audiences and their progress are kept: part of the storage-engine seam
 * ({@link org.optline.core.storage.StorageEngine#campaigns()}). Every write's future completes when
 * the write is durable (for a durable engine); reads may complete on the caller's thread. Writes
 * of one campaign are issued one at a time, in order, by the scheduler: an engine applies them in
 * the order it was given them.
 *
 * <p>An audience is kept on disk in upload order, one entry per distinct recipient: an append
 * leaves out the recipients the audience already has, so a member is sent to once however often
 * it was uploaded. The heap never holds an audience.
 */
public interface CampaignStore {

    /** Stores a campaign's record, new or changed. */
    CompletableFuture<Void> save(Campaign campaign);

    CompletableFuture<Optional<Campaign>> find(String businessId, String campaignId);

    /** A business's campaigns, in creation order. */
    CompletableFuture<List<Campaign>> list(String businessId);

    /** Every campaign that is not finished, of every business: what the scheduler resumes at start. */
    CompletableFuture<List<Campaign>> unfinished();

    /**
     * Appends members in order, each at the next ordinal, leaving out any whose recipient the
     * audience already has (the row's own ordinal is ignored). Atomic and durable.
     */
    CompletableFuture<AudienceAppend> appendAudience(String campaignId, List<AudienceRow> rows);

    /** Up to {@code max} members from ordinal {@code from} on, in order. */
    CompletableFuture<List<AudienceRow>> audience(String campaignId, long from, int max);

    /** The members at these ordinals (those that exist), in the order given. */
    CompletableFuture<List<AudienceRow>> members(String campaignId, List<Long> ordinals);

    /** Up to {@code max} holds released at or before {@code now}, earliest first. */
    CompletableFuture<List<Hold>> dueHolds(String campaignId, Instant now, int max);

    /**
     * One step of a running campaign, in one atomic write: the campaign's new record, the holds
     * it released and the ones it took, and what happened in the second {@code second}, added to
     * that second's counts.
     */
    CompletableFuture<Void> step(Campaign campaign, List<Hold> released, List<Hold> taken, Instant second,
                                 Counts happened);

    /** The campaign's counts per second from {@code from} on, in time order: what a report is drawn from. */
    CompletableFuture<List<SeriesPoint>> series(String campaignId, Instant from);

    /**
     * Stores a finished campaign's record and drops what it no longer needs: its audience (phone
     * numbers are kept no longer than they are used) and its holds. The counts stay.
     */
    CompletableFuture<Void> finish(Campaign campaign);
}
