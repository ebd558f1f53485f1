package org.optline.core.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.optline.core.admission.AdmissionPolicy;
import org.optline.core.business.Business;
import org.optline.core.message.Category;
import org.optline.core.queue.MessageIds;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.template.Template;
import org.optline.core.template.TemplateLookup;

/**
 * Campaigns, the service every transport calls for them: create one, upload its audience, schedule,
 * pause, resume, cancel, and read its progress and report. A business sees and changes only its
 * own campaigns; another's is "not found". Refusals are values ({@link Created}, {@link Imported},
 * {@link Changed}); changes are made by the {@link CampaignScheduler}, on its thread, in order.
 * Never blocks its caller: reads run on the store threads, an upload on the import thread.
 */
public final class CampaignService {
    /** Rows stored per write while an audience is imported: a group commit's worth, a few hundred KB of heap. */
    static final int IMPORT_BATCH = 2_000;
    /** Invalid rows listed by line number in an upload's answer; the rest are only counted. */
    public static final int LISTED_INVALID_ROWS = 100;
    /** The window over which progress's current rate is measured. */
    static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    /** A report has at most about this many points, whatever the campaign's length. */
    static final int REPORT_POINTS = 360;
    private static final int[] BUCKET_SECONDS = {1, 5, 10, 30, 60, 300, 900, 3_600, 21_600, 86_400};
    private static final int MAX_NAME_LENGTH = 200;
    private static final int MAX_PACE = 1_000_000;

    private final CampaignStore store;
    private final CampaignScheduler scheduler;
    private final StoreExecutor storeThreads;
    private final Executor imports;
    private final InstantSource clock;
    private final CampaignPolicy policy;
    private final AdmissionPolicy admission;
    private final MessageIds ids;
    private final TemplateLookup templates;

    /**
     * @param imports where uploads are read and stored: a thread of their own, so a long one delays no other work
     * @param templates the live template registry, the one admission fills messages from
     */
    public CampaignService(CampaignStore store, CampaignScheduler scheduler, StoreExecutor storeThreads,
                           Executor imports, InstantSource clock, CampaignPolicy policy, AdmissionPolicy admission,
                           TemplateLookup templates) {
        this.templates = templates;
        this.store = store;
        this.scheduler = scheduler;
        this.storeThreads = storeThreads;
        this.imports = imports;
        this.clock = clock;
        this.policy = policy;
        this.admission = admission;
        this.ids = new MessageIds(clock);
    }

    /**
     * What a marketer asks for.
     *
     * @param templateName a template of the business, filled with each member's parameters; or null
     * @param text one text for everyone; or null. Exactly one of the two.
     * @param startAt null: as soon as it is scheduled
     * @param endAt null: no end
     */
    public record Draft(String name, String templateName, String text, Category declaredCategory, Instant startAt,
                        Instant endAt, int pacePerSecond, QuietHours quietHours) {}

    /** The answer to a creation. */
    public sealed interface Created {
        record Done(Campaign campaign) implements Created {}

        /** The draft cannot become a campaign; the detail says which field and why. */
        record Invalid(String detail) implements Created {}
    }

    /** The answer to a change of state (schedule, pause, resume, cancel) or the start of an upload. */
    public sealed interface Changed {
        record Done(Campaign campaign) implements Changed {}

        /** No such campaign for this business. */
        record NotFound() implements Changed {}

        /** The change does not apply in the campaign's state (or an upload is in progress); nothing changed. */
        record Refused(CampaignState state, String detail) implements Changed {}
    }

    /** The answer to an audience upload. */
    public sealed interface Imported {
        record Done(Upload upload) implements Imported {}

        record NotFound() implements Imported {}

        record Refused(CampaignState state, String detail) implements Imported {}
    }

    /**
     * What one upload did.
     *
     * @param rows data rows read
     * @param added members added to the audience
     * @param invalid the first {@link #LISTED_INVALID_ROWS} invalid rows, by line number, never with their content
     * @param truncated true when the upload had more rows than allowed, and the rest was not read
     * @param audience the campaign's audience after this upload
     */
    public record Upload(long rows, long added, long invalidRows, long duplicateRows, List<InvalidRow> invalid,
                         boolean truncated, AudienceSummary audience) {}

    /** An invalid row: where it is and what is wrong with it (a code, never the row's content). */
    public record InvalidRow(long line, String problem) {}

    /**
     * A campaign as its marketer watches it.
     *
     * @param currentRate messages that got their final answer per second, over the last ten seconds
     * @param allocatedRate the pace the scheduler gives it now: its own, or its fair share of the budget
     * @param eta when it should be done at the allocated rate (quiet hours not counted); null when unknown
     */
    public record View(Campaign campaign, double currentRate, double allocatedRate, Instant eta) {}

    /**
     * A campaign's report: its counts, and the counts over time in buckets of equal length.
     *
     * @param bucketSeconds each bucket's length, chosen so that there are at most about 360 of them
     */
    public record Report(Campaign campaign, int bucketSeconds, List<SeriesPoint> buckets) {}

    public CompletableFuture<Created> create(Business business, Draft draft) {
        String invalid = invalid(business, draft);
        if (invalid != null) {
            return CompletableFuture.completedFuture(new Created.Invalid(invalid));
        }
        Campaign campaign = new Campaign(ids.next(), business.id(), draft.name().strip(), draft.templateName(),
                draft.text(), draft.declaredCategory(), clock.instant(), draft.startAt(), draft.endAt(),
                draft.pacePerSecond(), draft.quietHours(), CampaignState.DRAFT, AudienceSummary.EMPTY, Progress.NONE);
        return scheduler.create(campaign).thenApply(Created.Done::new);
    }

    private String invalid(Business business, Draft draft) {
        if (draft.name() == null || draft.name().isBlank()) {
            return "name is required";
        }
        if (draft.name().length() > MAX_NAME_LENGTH) {
            return "name is longer than " + MAX_NAME_LENGTH + " characters";
        }
        if ((draft.templateName() == null) == (draft.text() == null)) {
            return "either templateName or text is required, not both";
        }
        if (draft.templateName() != null && templates.find(business, draft.templateName()).isEmpty()) {
            return "no template named '" + draft.templateName() + "'";
        }
        if (draft.text() != null && draft.text().length() > admission.maxTextLength()) {
            return "text is longer than " + admission.maxTextLength() + " characters";
        }
        if (draft.declaredCategory() == null) {
            return "declaredCategory is required";
        }
        if (draft.pacePerSecond() < 1 || draft.pacePerSecond() > MAX_PACE) {
            return "pacePerSecond must be between 1 and " + MAX_PACE;
        }
        if (draft.quietHours() == null) {
            return "quietHours is required";
        }
        if (draft.endAt() != null) {
            if (!draft.endAt().isAfter(clock.instant())) {
                return "endAt is in the past";
            }
            if (draft.startAt() != null && !draft.endAt().isAfter(draft.startAt())) {
                return "endAt must be after startAt";
            }
        }
        return null;
    }

    public CompletableFuture<List<View>> list(Business business) {
        return storeThreads.call(() -> store.list(business.id()).thenCompose(campaigns -> {
            List<CompletableFuture<View>> views = new ArrayList<>();
            for (Campaign campaign : campaigns) {
                views.add(view(campaign));
            }
            return CompletableFuture.allOf(views.toArray(CompletableFuture<?>[]::new))
                    .thenApply(all -> views.stream().map(CompletableFuture::join).toList());
        }));
    }

    public CompletableFuture<Optional<View>> find(Business business, String campaignId) {
        return storeThreads.call(() -> store.find(business.id(), campaignId).thenCompose(found -> found.isEmpty()
                ? CompletableFuture.completedFuture(Optional.<View>empty())
                : view(found.get()).thenApply(Optional::of)));
    }

    private CompletableFuture<View> view(Campaign campaign) {
        Instant now = clock.instant();
        return store.series(campaign.id(), now.minus(RATE_WINDOW)).thenApply(points -> {
            long sent = 0;
            for (SeriesPoint point : points) {
                if (point.start().isBefore(now)) {
                    sent += point.counts().sent();
                }
            }
            double current = campaign.state() == CampaignState.RUNNING ? sent / (double) RATE_WINDOW.toSeconds() : 0;
            double allocatedRate = scheduler.allocatedRate(campaign.id());
            Instant eta = null;
            if (campaign.state() == CampaignState.RUNNING && allocatedRate > 0) {
                double seconds = campaign.remaining() / allocatedRate;
                eta = now.plusMillis((long) Math.ceil(seconds * 1000));
            }
            return new View(campaign, current, allocatedRate, eta);
        });
    }

    public CompletableFuture<Optional<Report>> report(Business business, String campaignId) {
        return storeThreads.call(() -> store.find(business.id(), campaignId).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Report>empty());
            }
            return store.series(campaignId, Instant.EPOCH).thenApply(points -> Optional.of(report(found.get(), points)));
        }));
    }

    /** Sums the per-second counts into buckets, so that a long campaign's report stays a few hundred points. */
    static Report report(Campaign campaign, List<SeriesPoint> seconds) {
        if (seconds.isEmpty()) {
            return new Report(campaign, 1, List.of());
        }
        long first = seconds.get(0).start().getEpochSecond();
        long last = seconds.get(seconds.size() - 1).start().getEpochSecond();
        int bucket = BUCKET_SECONDS[BUCKET_SECONDS.length - 1];
        for (int candidate : BUCKET_SECONDS) {
            if ((last - first) / candidate < REPORT_POINTS) {
                bucket = candidate;
                break;
            }
        }
        List<SeriesPoint> buckets = new ArrayList<>();
        long current = Long.MIN_VALUE;
        Counts sum = Counts.ZERO;
        for (SeriesPoint point : seconds) {
            long start = Math.floorDiv(point.start().getEpochSecond(), bucket) * bucket;
            if (start != current && current != Long.MIN_VALUE) {
                buckets.add(new SeriesPoint(Instant.ofEpochSecond(current), sum));
                sum = Counts.ZERO;
            }
            current = start;
            sum = sum.plus(point.counts());
        }
        buckets.add(new SeriesPoint(Instant.ofEpochSecond(current), sum));
        return new Report(campaign, bucket, buckets);
    }

    public CompletableFuture<Changed> schedule(Business business, String campaignId) {
        return scheduler.change(business.id(), campaignId, CampaignScheduler.Change.SCHEDULE);
    }

    public CompletableFuture<Changed> pause(Business business, String campaignId) {
        return scheduler.change(business.id(), campaignId, CampaignScheduler.Change.PAUSE);
    }

    public CompletableFuture<Changed> resume(Business business, String campaignId) {
        return scheduler.change(business.id(), campaignId, CampaignScheduler.Change.RESUME);
    }

    public CompletableFuture<Changed> cancel(Business business, String campaignId) {
        return scheduler.change(business.id(), campaignId, CampaignScheduler.Change.CANCEL);
    }

    /**
     * Reads an uploaded audience into a DRAFT campaign's stored audience, and closes the source
     * whatever happens. Invalid rows are counted and listed by line number; a recipient the
     * audience already has is counted as a duplicate and stored once.
     */
    public CompletableFuture<Imported> importAudience(Business business, String campaignId, AudienceSource source) {
        CompletableFuture<Imported> answer = scheduler.beginImport(business.id(), campaignId).thenCompose(begun -> {
            if (begun instanceof Changed.NotFound) {
                return CompletableFuture.completedFuture(new Imported.NotFound());
            }
            if (begun instanceof Changed.Refused refused) {
                return CompletableFuture.completedFuture(new Imported.Refused(refused.state(), refused.detail()));
            }
            Campaign campaign = ((Changed.Done) begun).campaign();
            CompletableFuture<Upload> read;
            try {
                read = CompletableFuture.supplyAsync(() -> read(business, campaign, source), imports);
            } catch (RejectedExecutionException e) {
                read = CompletableFuture.failedFuture(e);
            }
            // The upload ends whatever happened, so the campaign can take the next one or be scheduled.
            return read.handle((upload, failure) -> {
                AudienceSummary stored = upload == null ? AudienceSummary.EMPTY
                        : new AudienceSummary(upload.rows(), upload.added(), upload.invalidRows(), upload.duplicateRows());
                return scheduler.endImport(campaignId, stored).thenApply(after -> {
                    if (failure != null) {
                        throw failure instanceof RuntimeException runtime ? runtime
                                : new IllegalStateException(failure);
                    }
                    return (Imported) new Imported.Done(new Upload(upload.rows(), upload.added(),
                            upload.invalidRows(), upload.duplicateRows(), upload.invalid(), upload.truncated(),
                            after.audience()));
                });
            }).thenCompose(f -> f);
        });
        return answer.whenComplete((done, failure) -> source.close());
    }

    /** Reads the whole upload on the import thread, storing a batch at a time: the heap holds one batch. */
    private Upload read(Business business, Campaign campaign, AudienceSource source) {
        int parameters = campaign.templateName() == null ? -1
                : templates.find(business, campaign.templateName()).map(Template::parameterCount).orElse(0);
        long rows = 0;
        long added = 0;
        long invalid = 0;
        long duplicates = 0;
        boolean truncated = false;
        List<InvalidRow> listed = new ArrayList<>();
        List<AudienceRow> batch = new ArrayList<>(IMPORT_BATCH);
        try {
            for (AudienceSource.Entry entry = source.next(); entry != null; entry = source.next()) {
                if (rows == policy.maxAudienceRows()) {
                    truncated = true;
                    break;
                }
                rows++;
                String problem = entry.problem();
                PhoneNumber number = null;
                if (problem == null) {
                    number = PhoneNumber.parseOnce(entry.recipient()).orElse(null);
                    problem = number == null ? "INVALID_RECIPIENT" : problem(entry.parameters(), parameters);
                }
                if (problem != null) {
                    invalid++;
                    if (listed.size() < LISTED_INVALID_ROWS) {
                        listed.add(new InvalidRow(entry.line(), problem));
                    }
                    continue;
                }
                batch.add(new AudienceRow(0, number, parameters < 0 ? List.of() : entry.parameters()));
                if (batch.size() == IMPORT_BATCH) {
                    AudienceAppend appended = store.appendAudience(campaign.id(), batch).join();
                    added += appended.added();
                    duplicates += appended.duplicates();
                    batch.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be read", e);
        }
        if (!batch.isEmpty()) {
            AudienceAppend appended = store.appendAudience(campaign.id(), batch).join();
            added += appended.added();
            duplicates += appended.duplicates();
        }
        return new Upload(rows, added, invalid, duplicates, listed, truncated, null);
    }

    /** What is wrong with a row's parameters, or null; {@code expected} -1 takes any (a text campaign ignores them). */
    private String problem(List<String> values, int expected) {
        if (expected >= 0 && values.size() != expected) {
            return "WRONG_PARAMETER_COUNT";
        }
        for (String value : values) {
            if (value.length() > admission.maxTextLength()) {
                return "PARAMETER_TOO_LONG";
            }
        }
        return null;
    }
}
