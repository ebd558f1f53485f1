package org.optline.storage.rocksdb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.campaign.AudienceAppend;
import org.optline.core.campaign.AudienceRow;
import org.optline.core.campaign.Campaign;
import org.optline.core.campaign.CampaignStore;
import org.optline.core.campaign.Counts;
import org.optline.core.campaign.Hold;
import org.optline.core.campaign.SeriesPoint;

/**
 * Campaigns on disk, in five column families:
 * <pre>
 * campaigns          business ‖ 0 ‖ campaign              → the campaign's record (definition, state, progress)
 * campaign_audience  campaign ‖ 0 ‖ ordinal               → a member: number and parameters, in upload order
 *                    campaign ‖ 1                         → the next free ordinal
 * campaign_members   campaign ‖ 0 ‖ number                → its ordinal: the index that keeps duplicates out
 * campaign_holds     campaign ‖ 0 ‖ release ms ‖ ordinal  → a member held back (quiet hours or a retry)
 * campaign_series    campaign ‖ 0 ‖ epoch second          → the outcomes of that second
 * </pre>
 * Every write goes through the group commit (fsync'd), a step's record, holds and counts in one
 * atomic batch. A million-member audience is about 60 MB on disk and nothing in the heap; a finished
 * campaign's audience, index and holds are dropped with one range delete each.
 */
public final class RocksCampaignStore implements CampaignStore {
    private final RocksStorage storage;

    public RocksCampaignStore(RocksStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<Void> save(Campaign campaign) {
        byte[] key = CampaignCodec.campaignKey(campaign.businessId(), campaign.id());
        byte[] value = CampaignCodec.campaign(campaign);
        return storage.write(group -> {
            group.put(storage.campaigns, key, value);
            return null;
        });
    }

    @Override
    public CompletableFuture<Optional<Campaign>> find(String businessId, String campaignId) {
        return RocksStorage.read(() -> {
            byte[] value = storage.get(storage.campaigns, CampaignCodec.campaignKey(businessId, campaignId));
            return value == null ? Optional.empty() : Optional.of(CampaignCodec.campaign(value));
        });
    }

    @Override
    public CompletableFuture<List<Campaign>> list(String businessId) {
        return RocksStorage.read(() -> {
            List<Campaign> found = new ArrayList<>();
            storage.scan(storage.campaigns, CampaignCodec.businessPrefix(businessId), (key, value) -> {
                found.add(CampaignCodec.campaign(value));
                return true;
            });
            // Keys sort by id, and ids (UUIDv7) by creation time.
            return found;
        });
    }

    @Override
    public CompletableFuture<List<Campaign>> unfinished() {
        return RocksStorage.read(() -> {
            List<Campaign> found = new ArrayList<>();
            storage.scan(storage.campaigns, new byte[0], (key, value) -> {
                Campaign campaign = CampaignCodec.campaign(value);
                if (!campaign.state().isFinished()) {
                    found.add(campaign);
                }
                return true;
            });
            return found;
        });
    }

    @Override
    public CompletableFuture<AudienceAppend> appendAudience(String campaignId, List<AudienceRow> rows) {
        // Encoded on the caller's thread (the import's), so that the writer only looks keys up and copies bytes.
        List<byte[]> memberKeys = new ArrayList<>(rows.size());
        List<byte[]> values = new ArrayList<>(rows.size());
        for (AudienceRow row : rows) {
            memberKeys.add(CampaignCodec.memberKey(campaignId, storage.token(row.recipient())));
            values.add(CampaignCodec.row(row, storage.numbers()));
        }
        byte[] counterKey = CampaignCodec.counterKey(campaignId);
        return storage.write(group -> {
            byte[] counter = group.get(storage.campaignAudience, counterKey);
            long next = counter == null ? 0 : CampaignCodec.longOf(counter);
            long added = 0;
            for (int i = 0; i < memberKeys.size(); i++) {
                if (group.get(storage.campaignMembers, memberKeys.get(i)) != null) {
                    continue;
                }
                group.putVisible(storage.campaignMembers, memberKeys.get(i), CampaignCodec.longBytes(next));
                group.put(storage.campaignAudience, CampaignCodec.audienceKey(campaignId, next), values.get(i));
                next++;
                added++;
            }
            group.putVisible(storage.campaignAudience, counterKey, CampaignCodec.longBytes(next));
            return new AudienceAppend(added, memberKeys.size() - added);
        });
    }

    @Override
    public CompletableFuture<List<AudienceRow>> audience(String campaignId, long from, int max) {
        return RocksStorage.read(() -> {
            List<AudienceRow> rows = new ArrayList<>(Math.min(max, 1_024));
            byte[] prefix = CampaignCodec.prefix(campaignId);
            storage.scan(storage.campaignAudience, CampaignCodec.audienceKey(campaignId, from), prefix, (key, value) -> {
                rows.add(CampaignCodec.row(CampaignCodec.longOf(java.util.Arrays.copyOfRange(key, prefix.length,
                        prefix.length + Long.BYTES)), value, storage.numbers()));
                return rows.size() < max;
            });
            return rows;
        });
    }

    @Override
    public CompletableFuture<List<AudienceRow>> members(String campaignId, List<Long> ordinals) {
        return RocksStorage.read(() -> {
            List<AudienceRow> rows = new ArrayList<>(ordinals.size());
            for (long ordinal : ordinals) {
                byte[] value = storage.get(storage.campaignAudience, CampaignCodec.audienceKey(campaignId, ordinal));
                if (value != null) {
                    rows.add(CampaignCodec.row(ordinal, value, storage.numbers()));
                }
            }
            return rows;
        });
    }

    @Override
    public CompletableFuture<List<Hold>> dueHolds(String campaignId, Instant now, int max) {
        return RocksStorage.read(() -> {
            List<Hold> due = new ArrayList<>();
            byte[] prefix = CampaignCodec.prefix(campaignId);
            storage.scan(storage.campaignHolds, prefix, (key, value) -> {
                Hold hold = CampaignCodec.hold(key, value, prefix.length);
                if (hold.releaseAt().isAfter(now)) {
                    return false;
                }
                due.add(hold);
                return due.size() < max;
            });
            return due;
        });
    }

    @Override
    public CompletableFuture<Void> step(Campaign campaign, List<Hold> released, List<Hold> taken, Instant second,
                                       Counts happened) {
        String id = campaign.id();
        byte[] key = CampaignCodec.campaignKey(campaign.businessId(), id);
        byte[] value = CampaignCodec.campaign(campaign);
        byte[] secondKey = CampaignCodec.secondKey(id, second);
        return storage.write(group -> {
            group.put(storage.campaigns, key, value);
            for (Hold hold : released) {
                group.delete(storage.campaignHolds, CampaignCodec.holdKey(id, hold));
            }
            for (Hold hold : taken) {
                group.put(storage.campaignHolds, CampaignCodec.holdKey(id, hold), CampaignCodec.holdValue(hold));
            }
            if (!happened.isZero()) {
                byte[] before = group.get(storage.campaignSeries, secondKey);
                Counts sum = before == null ? happened : CampaignCodec.counts(before).plus(happened);
                group.putVisible(storage.campaignSeries, secondKey, CampaignCodec.counts(sum));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<SeriesPoint>> series(String campaignId, Instant from) {
        return RocksStorage.read(() -> {
            List<SeriesPoint> points = new ArrayList<>();
            byte[] prefix = CampaignCodec.prefix(campaignId);
            storage.scan(storage.campaignSeries, CampaignCodec.secondKey(campaignId, from.isBefore(Instant.EPOCH)
                    ? Instant.EPOCH : from), prefix, (key, value) -> {
                points.add(new SeriesPoint(CampaignCodec.second(key, prefix.length), CampaignCodec.counts(value)));
                return true;
            });
            return points;
        });
    }

    @Override
    public CompletableFuture<Void> finish(Campaign campaign) {
        String id = campaign.id();
        byte[] key = CampaignCodec.campaignKey(campaign.businessId(), id);
        byte[] value = CampaignCodec.campaign(campaign);
        return storage.write(group -> {
            group.put(storage.campaigns, key, value);
            group.batch.deleteRange(storage.campaignAudience, CampaignCodec.prefix(id),
                    CampaignCodec.rangeEndWithCounter(id));
            group.batch.deleteRange(storage.campaignMembers, CampaignCodec.prefix(id), CampaignCodec.rangeEnd(id));
            group.batch.deleteRange(storage.campaignHolds, CampaignCodec.prefix(id), CampaignCodec.rangeEnd(id));
            return null;
        });
    }
}
