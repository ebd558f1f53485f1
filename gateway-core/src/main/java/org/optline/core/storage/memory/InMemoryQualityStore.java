package org.optline.core.storage.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.optline.core.quality.FeedbackKind;
import org.optline.core.quality.QualityStore;
import org.optline.core.quality.SignalCounts;
import org.optline.core.quality.Standing;
import org.optline.core.quality.StandingEvent;

/** Feedback counts, standings and their events in the heap: for tests and the ephemeral mode. One lock. */
public final class InMemoryQualityStore implements QualityStore {
    private static final long HOUR = 3_600_000L;

    private record Complaint(String businessId, FeedbackKind kind, String subject) {}

    private final Map<Complaint, Long> complaints = new HashMap<>();
    private final Map<String, TreeMap<Long, long[]>> counts = new HashMap<>();
    private final Map<String, Standing> standings = new HashMap<>();
    private final Map<String, List<StandingEvent>> events = new HashMap<>();
    private long sequence;

    @Override
    public synchronized CompletableFuture<Boolean> recordComplaint(String businessId, FeedbackKind kind, String subject,
                                                                   Instant at) {
        if (complaints.putIfAbsent(new Complaint(businessId, kind, subject), at.toEpochMilli()) != null) {
            return CompletableFuture.completedFuture(false);
        }
        long[] hour = hour(businessId, at.toEpochMilli() - Math.floorMod(at.toEpochMilli(), HOUR));
        hour[kind == FeedbackKind.SPAM_REPORT ? 0 : 1]++;
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletableFuture<Void> addPositives(String businessId, long hourMillis, long count) {
        hour(businessId, hourMillis)[2] += count;
        return CompletableFuture.completedFuture(null);
    }

    private long[] hour(String businessId, long hourMillis) {
        return counts.computeIfAbsent(businessId, id -> new TreeMap<>()).computeIfAbsent(hourMillis, h -> new long[3]);
    }

    @Override
    public synchronized CompletableFuture<List<SignalCounts>> counts(String businessId, long sinceMillis) {
        List<SignalCounts> found = new ArrayList<>();
        counts.getOrDefault(businessId, new TreeMap<>()).tailMap(sinceMillis, true).forEach((hour, c) ->
                found.add(new SignalCounts(hour, c[0], c[1], c[2])));
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public synchronized CompletableFuture<List<Standing>> standings() {
        return CompletableFuture.completedFuture(new ArrayList<>(standings.values()));
    }

    @Override
    public synchronized CompletableFuture<List<StandingEvent>> save(Standing standing, List<StandingEvent> changes) {
        standings.put(standing.businessId(), standing);
        List<StandingEvent> numbered = new ArrayList<>();
        for (StandingEvent event : changes) {
            StandingEvent stored = new StandingEvent(++sequence, event.businessId(), event.at(), event.kind(),
                    event.fromQuality(), event.toQuality(), event.fromTier(), event.toTier(), event.pause(),
                    event.pausedUntil(), event.detail());
            numbered.add(stored);
            events.computeIfAbsent(standing.businessId(), id -> new ArrayList<>()).add(stored);
        }
        return CompletableFuture.completedFuture(numbered);
    }

    @Override
    public synchronized CompletableFuture<List<StandingEvent>> events(String businessId, long after, int max) {
        List<StandingEvent> found = new ArrayList<>();
        for (StandingEvent event : events.getOrDefault(businessId, List.of())) {
            if (event.sequence() > after && found.size() < max) {
                found.add(event);
            }
        }
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public synchronized CompletableFuture<Integer> forget(long beforeMillis, int max) {
        int removed = 0;
        for (Iterator<Long> at = complaints.values().iterator(); at.hasNext() && removed < max; ) {
            if (at.next() < beforeMillis) {
                at.remove();
                removed++;
            }
        }
        for (TreeMap<Long, long[]> hours : counts.values()) {
            Map<Long, long[]> old = hours.headMap(beforeMillis);
            removed += old.size();
            old.clear();
        }
        return CompletableFuture.completedFuture(removed);
    }
}
