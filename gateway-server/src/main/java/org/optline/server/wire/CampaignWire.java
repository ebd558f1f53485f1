package org.optline.server.wire;

import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import org.optline.core.campaign.AudienceSummary;
import org.optline.core.campaign.Campaign;
import org.optline.core.campaign.CampaignOutcome;
import org.optline.core.campaign.CampaignService;
import org.optline.core.campaign.Counts;
import org.optline.core.campaign.Progress;
import org.optline.core.campaign.QuietHours;
import org.optline.core.campaign.SeriesPoint;
import org.optline.core.message.Category;
import org.optline.proto.v1.AudienceUploadResult;
import org.optline.proto.v1.CampaignCounts;
import org.optline.proto.v1.CampaignList;
import org.optline.proto.v1.CampaignProgress;
import org.optline.proto.v1.CampaignReport;
import org.optline.proto.v1.CreateCampaignRequest;
import org.optline.proto.v1.InvalidRow;
import org.optline.proto.v1.ReasonCount;
import org.optline.proto.v1.ReportBucket;

/** Campaigns between protobuf and the domain; and a report as CSV. Nothing here ever carries a phone number. */
public final class CampaignWire {
    private CampaignWire() {}

    /** What the marketer asks for; MARKETING and the default quiet hours when unset. */
    public static CampaignService.Draft draft(CreateCampaignRequest body) throws Malformed {
        Category declared = body.getDeclaredCategoryValue() == 0 ? Category.MARKETING
                : MessageWire.category(body.getDeclaredCategory());
        if (declared == null) {
            throw Malformed.field("declaredCategory must be TRANSACTIONAL, AUTHENTICATION or MARKETING");
        }
        QuietHours quiet = QuietHours.DEFAULT;
        if (body.hasQuietHours()) {
            quiet = new QuietHours(time("quietHours.start", body.getQuietHours().getStart()),
                    time("quietHours.end", body.getQuietHours().getEnd()));
        }
        return new CampaignService.Draft(body.getName(),
                body.getTemplateName().isEmpty() ? null : body.getTemplateName(),
                body.getText().isEmpty() ? null : body.getText(),
                declared,
                instant("startAt", body.getStartAt()),
                instant("endAt", body.getEndAt()),
                body.getPacePerSecond() > Integer.MAX_VALUE ? -1 : body.getPacePerSecond(),
                quiet);
    }

    private static LocalTime time(String field, String value) throws Malformed {
        try {
            return LocalTime.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw Malformed.field(field + " must be a time of day such as 21:00");
        }
    }

    private static Instant instant(String field, String value) throws Malformed {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw Malformed.field(field + " must be an RFC 3339 time such as 2026-12-01T09:00:00Z");
        }
    }

    public static org.optline.proto.v1.Campaign campaign(CampaignService.View view) {
        Campaign c = view.campaign();
        Progress p = c.progress();
        CampaignProgress.Builder progress = CampaignProgress.newBuilder()
                .setCounts(counts(p.counts()))
                .setSent(p.counts().sent())
                .setRemaining(c.remaining())
                .setWaitingQuietHours(p.waitingQuietHours())
                .setWaitingRetry(p.waitingRetry())
                .setCurrentRate(view.currentRate())
                .setAllocatedRate(view.allocatedRate());
        if (view.eta() != null) {
            progress.setEta(view.eta().toString());
        }
        if (p.startedAt() != null) {
            progress.setStartedAt(p.startedAt().toString());
        }
        if (p.finishedAt() != null) {
            progress.setFinishedAt(p.finishedAt().toString());
        }
        org.optline.proto.v1.Campaign.Builder answer = org.optline.proto.v1.Campaign.newBuilder()
                .setCampaignId(c.id())
                .setName(c.name())
                .setState(org.optline.proto.v1.Campaign.State.valueOf(c.state().name()))
                .setDeclaredCategory(MessageWire.category(c.declaredCategory()))
                .setCreatedAt(c.createdAt().toString())
                .setPacePerSecond(c.pacePerSecond())
                .setQuietHours(org.optline.proto.v1.QuietHours.newBuilder()
                        .setStart(c.quietHours().start().toString()).setEnd(c.quietHours().end().toString()))
                .setAudience(audience(c.audience()))
                .setProgress(progress);
        if (c.templateName() != null) {
            answer.setTemplateName(c.templateName());
        }
        if (c.text() != null) {
            answer.setText(c.text());
        }
        if (c.startAt() != null) {
            answer.setStartAt(c.startAt().toString());
        }
        if (c.endAt() != null) {
            answer.setEndAt(c.endAt().toString());
        }
        return answer.build();
    }

    /** A campaign just changed: its progress rates are not looked up again. */
    public static org.optline.proto.v1.Campaign campaign(Campaign campaign) {
        return campaign(new CampaignService.View(campaign, 0, 0, null));
    }

    public static CampaignList list(java.util.List<CampaignService.View> views) {
        CampaignList.Builder list = CampaignList.newBuilder();
        views.forEach(view -> list.addCampaigns(campaign(view)));
        return list.build();
    }

    public static org.optline.proto.v1.AudienceSummary audience(AudienceSummary a) {
        return org.optline.proto.v1.AudienceSummary.newBuilder()
                .setRows(a.rows()).setRecipients(a.recipients())
                .setInvalidRows(a.invalidRows()).setDuplicateRows(a.duplicateRows()).build();
    }

    public static CampaignCounts counts(Counts counts) {
        CampaignCounts.Builder answer = CampaignCounts.newBuilder();
        for (Map.Entry<CampaignOutcome, Long> entry : counts.asMap().entrySet()) {
            CampaignOutcome outcome = entry.getKey();
            long n = entry.getValue();
            if (outcome.isAdmission()) {
                answer.addByReason(ReasonCount.newBuilder().setReason(MessageWire.reason(outcome.reason())).setCount(n));
            } else {
                switch (outcome) {
                    case HELD_QUIET_HOURS -> answer.setHeldQuietHours(n);
                    case RETRIED -> answer.setRetried(n);
                    case EXPIRED -> answer.setExpired(n);
                    case NO_SENDING_WINDOW -> answer.setNoSendingWindow(n);
                    default -> throw new IllegalStateException("unmapped campaign outcome " + outcome);
                }
            }
        }
        return answer.build();
    }

    public static AudienceUploadResult upload(CampaignService.Upload upload) {
        AudienceUploadResult.Builder answer = AudienceUploadResult.newBuilder()
                .setRows(upload.rows()).setAdded(upload.added())
                .setInvalidRows(upload.invalidRows()).setDuplicateRows(upload.duplicateRows())
                .setTruncated(upload.truncated())
                .setAudience(audience(upload.audience()));
        upload.invalid().forEach(row -> answer.addInvalid(
                InvalidRow.newBuilder().setLine(row.line()).setProblem(row.problem())));
        return answer.build();
    }

    public static CampaignReport report(CampaignService.Report report) {
        CampaignReport.Builder answer = CampaignReport.newBuilder()
                .setCampaign(campaign(report.campaign()))
                .setBucketSeconds(report.bucketSeconds());
        for (SeriesPoint bucket : report.buckets()) {
            answer.addBuckets(ReportBucket.newBuilder().setStart(bucket.start().toString())
                    .setCounts(counts(bucket.counts())));
        }
        return answer.build();
    }

    /**
     * The report as CSV: a header, then one line per bucket with a column per outcome, then a
     * {@code total} line. The columns are every outcome, always in the same order, so that a
     * spreadsheet made from one report reads the next.
     */
    public static String csv(CampaignService.Report report) {
        StringBuilder csv = new StringBuilder("bucket_start");
        for (CampaignOutcome outcome : CampaignOutcome.values()) {
            csv.append(',').append(outcome.name().toLowerCase(Locale.ROOT));
        }
        csv.append("\r\n");
        for (SeriesPoint bucket : report.buckets()) {
            line(csv, bucket.start().toString(), bucket.counts());
        }
        line(csv, "total", report.campaign().progress().counts());
        return csv.toString();
    }

    private static void line(StringBuilder csv, String first, Counts counts) {
        csv.append(first);
        for (CampaignOutcome outcome : CampaignOutcome.values()) {
            csv.append(',').append(counts.get(outcome));
        }
        csv.append("\r\n");
    }
}
