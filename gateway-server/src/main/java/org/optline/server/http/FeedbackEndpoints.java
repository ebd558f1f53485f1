package org.optline.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.limit.MarketingBudgets;
import org.optline.core.quality.FeedbackService;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.FeedbackRequest;
import org.optline.server.wire.Malformed;
import org.optline.server.wire.StandingWire;

/**
 * What the platform reports and reads about recipients and the messages they get: feedback
 * (spam reports, blocks, positive signals) and a recipient's remaining marketing budget.
 */
final class FeedbackEndpoints {
    private final FeedbackService feedback;
    private final MarketingBudgets budgets;
    private final BusinessDirectory directory;

    FeedbackEndpoints(FeedbackService feedback, MarketingBudgets budgets, BusinessDirectory directory) {
        this.feedback = feedback;
        this.budgets = budgets;
        this.directory = directory;
    }

    /** {@code POST /v1/feedback}: 1 to 1000 reports; one result each, in order, once all are durable. */
    CompletableFuture<Reply> report(HttpCall call) throws HttpError {
        FeedbackRequest body = call.body(FeedbackRequest.newBuilder()).build();
        if (body.getFeedbackCount() == 0) {
            throw HttpError.invalidBody("feedback needs at least one report");
        }
        if (body.getFeedbackCount() > FeedbackService.MAX_BATCH) {
            throw new HttpError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "BATCH_TOO_LARGE",
                    "at most " + FeedbackService.MAX_BATCH + " reports per request");
        }
        List<FeedbackService.Feedback> reports;
        try {
            reports = StandingWire.feedback(body);
        } catch (Malformed malformed) {
            throw HttpError.of(malformed);
        }
        return feedback.report(reports).thenApply(outcomes ->
                Reply.ok(outcomes, done -> StandingWire.feedbackResults(reports, done)));
    }

    /**
     * {@code GET /v1/recipients/{recipient}/marketing-budget[?businessId=B]}: the offers every
     * business together, and each that sent some (or B), may still send the recipient.
     */
    CompletableFuture<Reply> budget(HttpCall call) throws HttpError {
        PhoneNumber recipient = call.recipientParameter("recipient");
        String businessId = call.query("businessId").orElse(null);
        if (businessId != null && directory.byId(businessId).isEmpty()) {
            throw HttpError.unknownBusiness();
        }
        return budgets.of(recipient).thenApply(budget ->
                Reply.ok(budget, found -> StandingWire.budget(recipient, found, businessId)));
    }
}
