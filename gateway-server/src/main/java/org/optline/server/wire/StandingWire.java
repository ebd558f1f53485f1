package org.optline.server.wire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.optline.core.limit.MarketingBudget;
import org.optline.core.quality.FeedbackKind;
import org.optline.core.quality.FeedbackService;
import org.optline.core.quality.StandingEvent;
import org.optline.core.quality.StandingView;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.BusinessBudget;
import org.optline.proto.v1.BusinessStanding;
import org.optline.proto.v1.Feedback;
import org.optline.proto.v1.FeedbackRequest;
import org.optline.proto.v1.FeedbackResponse;
import org.optline.proto.v1.FeedbackResult;
import org.optline.proto.v1.MarketingPause;
import org.optline.proto.v1.Quality;
import org.optline.proto.v1.StandingEvents;
import org.optline.proto.v1.TierUsage;

/** Standings, their events, feedback and marketing budgets between protobuf and the domain. */
public final class StandingWire {
    private StandingWire() {}

    public static BusinessStanding standing(StandingView view) {
        TierUsage.Builder tier = TierUsage.newBuilder()
                .setTier(view.tier().toString())
                .setLimit(view.tier().isUnlimited() ? 0 : view.tier().uniqueRecipientsPerDay())
                .setConfiguredTier(view.configuredTier().toString())
                .setUsed(view.reached().inWindow())
                .setRemaining(Math.max(0, view.remaining()))
                .setWindowSeconds(view.tierWindow().toSeconds())
                .setReachedInUpgradeWindow(view.reached().inReach())
                .setUpgradeWindowSeconds(view.reachWindow().toSeconds());
        long complaints = view.complaints();
        long signals = complaints + view.positives();
        Quality quality = Quality.newBuilder()
                .setRating(rating(view.quality()))
                .setEarned(rating(view.rating()))
                .setSpamReports(view.spamReports())
                .setBlocks(view.blocks())
                .setPositives(view.positives())
                .setComplaintRate(signals == 0 ? 0 : complaints / (double) signals)
                .setWindowSeconds(view.qualityWindow().toSeconds())
                .build();
        MarketingPause.Builder pause = MarketingPause.newBuilder()
                .setPaused(view.marketingPaused())
                .setHeldUntilLifted(view.held())
                .setByConfiguration(view.pausedByConfiguration())
                .setPauses(view.pauses());
        if (view.pausedUntil() != null) {
            pause.setPausedUntil(view.pausedUntil().toString());
        }
        return BusinessStanding.newBuilder()
                .setBusinessId(view.businessId())
                .setTier(tier)
                .setQuality(quality)
                .setMarketing(pause)
                .build();
    }

    public static StandingEvents events(List<StandingEvent> events) {
        StandingEvents.Builder list = StandingEvents.newBuilder();
        for (StandingEvent event : events) {
            org.optline.proto.v1.StandingEvent.Builder proto = org.optline.proto.v1.StandingEvent.newBuilder()
                    .setSequence(event.sequence())
                    .setAt(event.at().toString())
                    .setKind(org.optline.proto.v1.StandingEvent.Kind.valueOf(event.kind().name()))
                    .setPause(event.pause())
                    .setDetail(event.detail());
            if (event.fromQuality() != null) {
                proto.setFromQuality(rating(event.fromQuality()));
            }
            if (event.toQuality() != null) {
                proto.setToQuality(rating(event.toQuality()));
            }
            if (event.fromTier() != null) {
                proto.setFromTier(event.fromTier().toString());
            }
            if (event.toTier() != null) {
                proto.setToTier(event.toTier().toString());
            }
            if (event.kind() == StandingEvent.Kind.MARKETING_PAUSED) {
                if (event.pausedUntil() != null) {
                    proto.setPausedUntil(event.pausedUntil().toString());
                } else {
                    proto.setHeldUntilLifted(true);
                }
            }
            list.addEvents(proto);
        }
        return list.build();
    }

    static Quality.Rating rating(org.optline.core.business.Quality quality) {
        return switch (quality) {
            case GREEN -> Quality.Rating.GREEN;
            case YELLOW -> Quality.Rating.YELLOW;
            case RED -> Quality.Rating.RED;
        };
    }

    /** The reports of a feedback request; a malformed one refuses the whole request, before anything is counted. */
    public static List<FeedbackService.Feedback> feedback(FeedbackRequest request) throws Malformed {
        List<FeedbackService.Feedback> reports = new ArrayList<>(request.getFeedbackCount());
        for (Feedback feedback : request.getFeedbackList()) {
            FeedbackKind kind = switch (feedback.getKind()) {
                case SPAM_REPORT -> FeedbackKind.SPAM_REPORT;
                case BLOCK -> FeedbackKind.BLOCK;
                case POSITIVE -> FeedbackKind.POSITIVE;
                default -> throw Malformed.field("every report needs a kind: SPAM_REPORT, BLOCK or POSITIVE");
            };
            if (feedback.getMessageId().isEmpty()) {
                throw Malformed.field("every report needs a messageId");
            }
            reports.add(new FeedbackService.Feedback(Recipients.recipient(feedback.getRecipient()),
                    feedback.getMessageId(), kind));
        }
        return reports;
    }

    public static FeedbackResponse feedbackResults(List<FeedbackService.Feedback> reports,
                                                   List<FeedbackService.Reported> outcomes) {
        FeedbackResponse.Builder response = FeedbackResponse.newBuilder();
        for (int i = 0; i < reports.size(); i++) {
            response.addResults(FeedbackResult.newBuilder()
                    .setMessageId(reports.get(i).messageId())
                    .setOutcome(FeedbackResult.Outcome.valueOf(outcomes.get(i).name())));
        }
        return response.build();
    }

    /** A recipient's budget; with {@code businessId}, only that business's line (sent or not). */
    public static org.optline.proto.v1.MarketingBudget budget(PhoneNumber recipient, MarketingBudget budget,
                                                               String businessId) {
        org.optline.proto.v1.MarketingBudget.Builder proto = org.optline.proto.v1.MarketingBudget.newBuilder()
                .setRecipientMasked(recipient.masked())
                .setCap(budget.cap())
                .setUsed(budget.used())
                .setRemaining(budget.remaining())
                .setCapPerBusiness(budget.capPerBusiness())
                .setWindowSeconds(budget.window().toSeconds());
        if (budget.firstFreesAtMillis() > 0) {
            proto.setNextFreeAt(Instant.ofEpochMilli(budget.firstFreesAtMillis()).toString());
        }
        List<MarketingBudget.FromBusiness> lines = businessId == null ? budget.businesses()
                : List.of(budget.from(businessId));
        for (MarketingBudget.FromBusiness line : lines) {
            BusinessBudget.Builder business = BusinessBudget.newBuilder()
                    .setBusinessId(line.businessId())
                    .setUsed(line.used())
                    .setRemaining(budget.remainingFrom(line.businessId()));
            if (line.firstFreesAtMillis() > 0) {
                business.setNextFreeAt(Instant.ofEpochMilli(line.firstFreesAtMillis()).toString());
            }
            proto.addBusinesses(business);
        }
        return proto.build();
    }
}
