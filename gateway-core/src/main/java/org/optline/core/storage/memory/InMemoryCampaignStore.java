package org.optline.core.storage.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.optline.core.campaign.AudienceAppend;
import org.optline.core.campaign.AudienceRow;
import org.optline.core.campaign.Campaign;
import org.optline.core.campaign.CampaignStore;
import org.optline.core.campaign.Counts;
import org.optline.core.campaign.Hold;
import org.optline.core.campaign.SeriesPoint;

/**
 * Campaigns in the heap, for tests and the ephemeral mode: audiences included, so a million-member
 * audience costs a few hundred MB here (the durable engine keeps audiences on disk). One lock; every
 * operation completes at once.
 */
final class InMemoryCampaignStore implements CampaignStore {
    private final Map<String, Campaign> campaigns = new LinkedHashMap<>();
    private final Map<String, Audience> audiences = new HashMap<>();
    private final Map<String, NavigableMap<Instant, Map<Long, Hold>>> holds = new HashMap<>();
    private final Map<String, NavigableMap<Instant, Counts>> series = new HashMap<>();

    private static final class Audience {
        final List<AudienceRow> rows = new ArrayList<>();
        final Map<String, Long> members = new HashMap<>();
    }

    @Override
    public synchronized CompletableFuture<Void> save(Campaign campaign) {
        campaigns.put(campaign.id(), campaign);
        return done();
    }

    @Override
    public synchronized CompletableFuture<Optional<Campaign>> find(String businessId, String campaignId) {
        Campaign campaign = campaigns.get(campaignId);
        return CompletableFuture.completedFuture(campaign != null && campaign.businessId().equals(businessId)
                ? Optional.of(campaign) : Optional.empty());
    }

    @Override
    public synchronized CompletableFuture<List<Campaign>> list(String businessId) {
        return CompletableFuture.completedFuture(
                campaigns.values().stream().filter(c -> c.businessId().equals(businessId)).toList());
    }

    @Override
    public synchronized CompletableFuture<List<Campaign>> unfinished() {
        return CompletableFuture.completedFuture(
                campaigns.values().stream().filter(c -> !c.state().isFinished()).toList());
    }

    @Override
    public synchronized CompletableFuture<AudienceAppend> appendAudience(String campaignId, List<AudienceRow> rows) {
        Audience audience = audiences.computeIfAbsent(campaignId, id -> new Audience());
        long added = 0;
        for (AudienceRow row : rows) {
            long ordinal = audience.rows.size();
            if (audience.members.putIfAbsent(row.recipient().e164(), ordinal) == null) {
                audience.rows.add(new AudienceRow(ordinal, row.recipient(), row.parameters()));
                added++;
            }
        }
        return CompletableFuture.completedFuture(new AudienceAppend(added, rows.size() - added));
    }

    @Override
    public synchronized CompletableFuture<List<AudienceRow>> audience(String campaignId, long from, int max) {
        Audience audience = audiences.get(campaignId);
        if (audience == null || from >= audience.rows.size()) {
            return CompletableFuture.completedFuture(List.of());
        }
        int end = (int) Math.min(audience.rows.size(), from + max);
        return CompletableFuture.completedFuture(List.copyOf(audience.rows.subList((int) from, end)));
    }

    @Override
    public synchronized CompletableFuture<List<AudienceRow>> members(String campaignId, List<Long> ordinals) {
        Audience audience = audiences.get(campaignId);
        List<AudienceRow> found = new ArrayList<>();
        for (long ordinal : ordinals) {
            if (audience != null && ordinal < audience.rows.size()) {
                found.add(audience.rows.get((int) ordinal));
            }
        }
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public synchronized CompletableFuture<List<Hold>> dueHolds(String campaignId, Instant now, int max) {
        List<Hold> due = new ArrayList<>();
        NavigableMap<Instant, Map<Long, Hold>> byTime = holds.get(campaignId);
        if (byTime != null) {
            for (Map<Long, Hold> atTime : byTime.headMap(now, true).values()) {
                for (Hold hold : atTime.values()) {
                    if (due.size() == max) {
                        return CompletableFuture.completedFuture(due);
                    }
                    due.add(hold);
                }
            }
        }
        return CompletableFuture.completedFuture(due);
    }

    @Override
    public synchronized CompletableFuture<Void> step(Campaign campaign, List<Hold> released, List<Hold> taken,
                                                     Instant second, Counts happened) {
        campaigns.put(campaign.id(), campaign);
        NavigableMap<Instant, Map<Long, Hold>> byTime = holds.computeIfAbsent(campaign.id(), id -> new TreeMap<>());
        for (Hold hold : released) {
            Map<Long, Hold> atTime = byTime.get(hold.releaseAt());
            if (atTime != null) {
                atTime.remove(hold.ordinal());
                if (atTime.isEmpty()) {
                    byTime.remove(hold.releaseAt());
                }
            }
        }
        for (Hold hold : taken) {
            byTime.computeIfAbsent(hold.releaseAt(), t -> new LinkedHashMap<>()).put(hold.ordinal(), hold);
        }
        if (!happened.isZero()) {
            series.computeIfAbsent(campaign.id(), id -> new TreeMap<>()).merge(second, happened, Counts::plus);
        }
        return done();
    }

    @Override
    public synchronized CompletableFuture<List<SeriesPoint>> series(String campaignId, Instant from) {
        NavigableMap<Instant, Counts> points = series.get(campaignId);
        List<SeriesPoint> answer = new ArrayList<>();
        if (points != null) {
            points.tailMap(from, true).forEach((second, counts) -> answer.add(new SeriesPoint(second, counts)));
        }
        return CompletableFuture.completedFuture(answer);
    }

    @Override
    public synchronized CompletableFuture<Void> finish(Campaign campaign) {
        campaigns.put(campaign.id(), campaign);
        audiences.remove(campaign.id());
        holds.remove(campaign.id());
        return done();
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
