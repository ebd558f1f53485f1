package org.optline.server.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.CampaignReport;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.ReportBucket;
import org.optline.proto.v1.SubmitMessagesResponse;
import org.optline.server.testing.CampaignRequests;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * Pacing on the fake clock's seconds: a campaign sends its pace in every second (within 5 %), two
 * campaigns of one business share its campaign budget (half its limit) equally, and the business's
 * transactional traffic, sent at the other half meanwhile, is never refused for the limit.
 */
class CampaignPacingTest {
    private static final String MARKETER = "test-marketer";
    private static final String MARKETER_KEY = "olk_test_marketer_key";
    /** 100 messages a second: campaigns get 50 of them together, the alerts the other 50. */
    private static final int THROUGHPUT = 100;

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(b -> b.business(new Business(MARKETER,
            List.of(Credential.ofSecret(MARKETER_KEY)), THROUGHPUT, Tier.UNLIMITED, Quality.GREEN, Map.of())),
            new InMemoryDeliveryQueues());

    private final TestHttp http = gateway.http();
    private final CampaignRequests marketer = new CampaignRequests(http, MARKETER_KEY);

    private String campaign(String name, int pace, int audience) {
        String id = marketer.createText(name, "Spring sale: 10% off", pace).getCampaignId();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < audience; i++) {
            rows.add(Recipients.next());
        }
        marketer.upload(id, "text/csv", String.join("\n", rows));
        return id;
    }

    /** Messages sent (answered by admission) in each whole second of the report. */
    private static List<Long> perSecond(CampaignReport report) {
        assertThat(report.getBucketSeconds()).isEqualTo(1);
        List<Long> sent = new ArrayList<>();
        for (ReportBucket bucket : report.getBucketsList()) {
            sent.add(bucket.getCounts().getByReasonList().stream().mapToLong(c -> c.getCount()).sum());
        }
        return sent;
    }

    @Test
    void aCampaignSendsItsPaceInEverySecond() {
        String id = campaign("Paced", 20, 1_000);
        marketer.change(id, "schedule");
        CampaignApiTest.run(gateway, Duration.ofSeconds(10), Duration.ofMillis(50));

        List<Long> seconds = perSecond(marketer.report(id));
        // The first and the last seconds are partial (the start, the end of the run); the rest are whole.
        assertThat(seconds.subList(1, seconds.size() - 1)).hasSizeGreaterThanOrEqualTo(8)
                .allSatisfy(sent -> assertThat(sent).isBetween(19L, 21L));
        marketer.change(id, "cancel");
    }

    @Test
    void twoCampaignsShareTheBudgetFairlyAndAlertsAreNeverRefusedForTheLimit() {
        String alerted = Recipients.next();
        http.optIn(alerted, MARKETER, "TRANSACTIONAL_CLASS");
        String first = campaign("First", 40, 1_000);
        String second = campaign("Second", 40, 1_000);
        marketer.change(first, "schedule");
        marketer.change(second, "schedule");
        gateway.gateway().campaignScheduler().runOnce().join();

        List<MessageResult> alerts = new ArrayList<>();
        int sequence = 0;
        for (int step = 0; step < 80; step++) {
            gateway.clock().advance(Duration.ofMillis(100));
            StringBuilder batch = new StringBuilder("{\"messages\":[");
            for (int i = 0; i < 5; i++) {
                batch.append(i == 0 ? "" : ",").append(TestHttp.message("alert-" + sequence++, alerted,
                        "TRANSACTIONAL", "Your balance is " + sequence + " EUR"));
            }
            var response = http.postJson("/v1/messages", MARKETER_KEY, batch.append("]}").toString());
            SubmitMessagesResponse.Builder parsed = SubmitMessagesResponse.newBuilder();
            try {
                com.google.protobuf.util.JsonFormat.parser().merge(response.body(), parsed);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(response.body(), e);
            }
            alerts.addAll(parsed.getResultsList());
            gateway.gateway().campaignScheduler().runOnce().join();
        }

        assertThat(alerts).hasSize(400).allSatisfy(result -> assertThat(result.getReason()).isEqualTo(Reason.ACCEPTED));
        assertThat(marketer.get(first).getProgress().getAllocatedRate()).isEqualTo(25.0);
        assertThat(marketer.get(second).getProgress().getAllocatedRate()).isEqualTo(25.0);
        for (String id : List.of(first, second)) {
            List<Long> seconds = perSecond(marketer.report(id));
            assertThat(seconds.subList(1, seconds.size() - 1)).hasSizeGreaterThanOrEqualTo(6)
                    .allSatisfy(sent -> assertThat(sent).isBetween(24L, 26L));
            marketer.change(id, "cancel");
        }
    }
}
