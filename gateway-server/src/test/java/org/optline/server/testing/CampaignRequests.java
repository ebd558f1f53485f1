package org.optline.server.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.optline.proto.v1.AudienceUploadResult;
import org.optline.proto.v1.Campaign;
import org.optline.proto.v1.CampaignReport;

/** The campaign API as tests call it, over real HTTP: each call checks its status and reads the answer strictly. */
public final class CampaignRequests {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private final TestHttp http;
    private final String key;

    public CampaignRequests(TestHttp http, String key) {
        this.http = http;
        this.key = key;
    }

    /** A text campaign with no quiet hours, at {@code pace} a second. */
    public Campaign createText(String name, String text, int pace) {
        return create("{\"name\":\"" + name + "\",\"text\":\"" + text + "\",\"pacePerSecond\":" + pace
                + ",\"quietHours\":{\"start\":\"00:00\",\"end\":\"00:00\"}}");
    }

    public Campaign create(String json) {
        return ok(http.postJson("/v1/campaigns", key, json), Campaign.newBuilder()).build();
    }

    public AudienceUploadResult upload(String campaignId, String contentType, String body) {
        return ok(uploadRaw(campaignId, contentType, body), AudienceUploadResult.newBuilder()).build();
    }

    public HttpResponse<String> uploadRaw(String campaignId, String contentType, String body) {
        return TestHttp.send(http.newRequest("/v1/campaigns/" + campaignId + "/audience", key)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Posts schedule, pause, resume or cancel. */
    public Campaign change(String campaignId, String action) {
        return ok(changeRaw(campaignId, action), Campaign.newBuilder()).build();
    }

    public HttpResponse<String> changeRaw(String campaignId, String action) {
        return TestHttp.send(http.newRequest("/v1/campaigns/" + campaignId + "/" + action, key)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public Campaign get(String campaignId) {
        return ok(http.get("/v1/campaigns/" + campaignId, key), Campaign.newBuilder()).build();
    }

    public CampaignReport report(String campaignId) {
        return ok(http.get("/v1/campaigns/" + campaignId + "/report", key), CampaignReport.newBuilder()).build();
    }

    public HttpResponse<String> reportCsv(String campaignId) {
        return http.get("/v1/campaigns/" + campaignId + "/report?format=csv", key);
    }

    /** The number of messages a campaign's counts give for a reason. */
    public static long count(Campaign campaign, org.optline.proto.v1.Reason reason) {
        return campaign.getProgress().getCounts().getByReasonList().stream()
                .filter(c -> c.getReason() == reason).mapToLong(c -> c.getCount()).sum();
    }

    private static <B extends Message.Builder> B ok(HttpResponse<String> response, B builder) {
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
        try {
            PARSER.merge(response.body(), builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a valid " + builder.getDescriptorForType().getName() + ": " + response.body(), e);
        }
    }
}
