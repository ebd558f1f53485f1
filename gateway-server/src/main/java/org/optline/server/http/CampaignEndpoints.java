package org.optline.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.optline.core.campaign.AudienceSource;
import org.optline.core.campaign.CampaignService;
import org.optline.proto.v1.CreateCampaignRequest;
import org.optline.server.wire.AudienceFiles;
import org.optline.server.wire.CampaignWire;
import org.optline.server.wire.Malformed;

/**
 * A marketer's campaigns (business key): create, upload the audience (a streamed route: the body
 * arrives here as a file), schedule, pause, resume, cancel, progress and report. Another
 * business's campaign is 404, as if it did not exist.
 */
final class CampaignEndpoints {
    private final CampaignService campaigns;

    CampaignEndpoints(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    /** {@code POST /v1/campaigns}: a new campaign, in DRAFT. */
    CompletableFuture<Reply> create(HttpCall call) throws HttpError {
        CreateCampaignRequest body = call.body(CreateCampaignRequest.newBuilder()).build();
        CampaignService.Draft draft;
        try {
            draft = CampaignWire.draft(body);
        } catch (Malformed malformed) {
            throw HttpError.of(malformed);
        }
        return campaigns.create(call.business(), draft).thenApply(created -> {
            if (created instanceof CampaignService.Created.Done done) {
                return Reply.ok(done.campaign(), CampaignWire::campaign);
            }
            return Reply.error(HttpResponseStatus.BAD_REQUEST, "INVALID_BODY",
                    ((CampaignService.Created.Invalid) created).detail());
        });
    }

    /** {@code GET /v1/campaigns}: the business's campaigns with their progress. */
    CompletableFuture<Reply> list(HttpCall call) {
        return campaigns.list(call.business()).thenApply(views -> Reply.ok(views, CampaignWire::list));
    }

    /** {@code GET /v1/campaigns/{campaignId}}: one campaign with its progress. */
    CompletableFuture<Reply> find(HttpCall call) {
        return campaigns.find(call.business(), id(call)).thenApply(found -> found
                .map(view -> Reply.ok(view, CampaignWire::campaign))
                .orElseGet(CampaignEndpoints::notFound));
    }

    /**
     * {@code POST /v1/campaigns/{campaignId}/audience}: an audience file, CSV ({@code text/csv}) or
     * NDJSON ({@code application/x-ndjson}), spooled to disk as it arrived; answered once every row
     * is stored, with the invalid rows by line number.
     */
    CompletableFuture<Reply> upload(HttpCall call) throws HttpError {
        AudienceFiles.Format format = AudienceFiles.format(call.header(HttpHeaderNames.CONTENT_TYPE));
        if (format == null) {
            throw new HttpError(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE",
                    "an audience is text/csv or application/x-ndjson");
        }
        SpooledRequest.Spool spool = call.spooled().orElseThrow(() -> new HttpError(
                HttpResponseStatus.SERVICE_UNAVAILABLE, "OVERLOADED", "the upload could not be stored; retry shortly"));
        AudienceSource source = spool.file() == null ? AudienceFiles.empty()
                : AudienceFiles.open(spool.claim(), format, spool::decrypting);
        CompletableFuture<CampaignService.Imported> imported;
        try {
            imported = campaigns.importAudience(call.business(), id(call), source);
        } catch (RejectedExecutionException e) {
            source.close();
            throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "OVERLOADED", "uploads are busy; retry shortly");
        }
        return imported.thenApply(answer -> {
            if (answer instanceof CampaignService.Imported.Done done) {
                return Reply.ok(done.upload(), CampaignWire::upload);
            }
            if (answer instanceof CampaignService.Imported.Refused refused) {
                return wrongState(refused.detail());
            }
            return notFound();
        });
    }

    CompletableFuture<Reply> schedule(HttpCall call) {
        return changed(campaigns.schedule(call.business(), id(call)));
    }

    CompletableFuture<Reply> pause(HttpCall call) {
        return changed(campaigns.pause(call.business(), id(call)));
    }

    CompletableFuture<Reply> resume(HttpCall call) {
        return changed(campaigns.resume(call.business(), id(call)));
    }

    CompletableFuture<Reply> cancel(HttpCall call) {
        return changed(campaigns.cancel(call.business(), id(call)));
    }

    /**
     * {@code GET /v1/campaigns/{campaignId}/report}: JSON or protobuf as usual; CSV with
     * {@code ?format=csv} or {@code Accept: text/csv}, as a download.
     */
    CompletableFuture<Reply> report(HttpCall call) {
        String accept = call.header(HttpHeaderNames.ACCEPT);
        boolean csv = call.query("format").map(f -> f.equalsIgnoreCase("csv")).orElse(false)
                || accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
        String id = id(call);
        return campaigns.report(call.business(), id).thenApply(found -> found.map(report -> csv
                ? Reply.text(HttpResponseStatus.OK, "text/csv; charset=utf-8", () -> CampaignWire.csv(report))
                        .header("Content-Disposition", "attachment; filename=\"campaign-" + id + ".csv\"")
                : Reply.ok(report, CampaignWire::report)).orElseGet(CampaignEndpoints::notFound));
    }

    private static CompletableFuture<Reply> changed(CompletableFuture<CampaignService.Changed> change) {
        return change.thenApply(changed -> {
            if (changed instanceof CampaignService.Changed.Done done) {
                return Reply.ok(done.campaign(), CampaignWire::campaign);
            }
            if (changed instanceof CampaignService.Changed.Refused refused) {
                return wrongState(refused.detail());
            }
            return notFound();
        });
    }

    /** The id as sent; an id is ours (a UUID), so one that needs decoding matches nothing. */
    private static String id(HttpCall call) {
        return call.rawParameter("campaignId");
    }

    private static Reply notFound() {
        return Reply.error(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no such campaign");
    }

    private static Reply wrongState(String detail) {
        return Reply.error(HttpResponseStatus.CONFLICT, "WRONG_STATE", detail);
    }
}
