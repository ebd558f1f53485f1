package org.optline.server.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.SHOP_KEY;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.AudienceUploadResult;
import org.optline.proto.v1.Campaign;
import org.optline.proto.v1.CampaignReport;
import org.optline.proto.v1.Reason;
import org.optline.server.testing.CampaignRequests;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * The campaign API end to end over loopback, on the fake clock: an audience uploaded with invalid
 * and duplicate rows, every member sent once through admission, pause, resume, cancel, the end
 * time, the report; and never a phone number in an answer.
 */
class CampaignApiTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private static final Pattern FULL_NUMBER = Pattern.compile("\\+\\d{8,15}");

    private final TestHttp http = gateway.http();
    private final CampaignRequests bank = new CampaignRequests(http, BANK_KEY);

    /** Moves the fake clock in steps, letting the scheduler do what each step made due. */
    static void run(GatewayExtension gateway, Duration total, Duration step) {
        for (long done = 0; done < total.toMillis(); done += step.toMillis()) {
            gateway.clock().advance(step);
            gateway.gateway().campaignScheduler().runOnce().join();
        }
        gateway.gateway().campaignScheduler().runOnce().join();
    }

    private List<String> optedIn(int n) {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String recipient = Recipients.next();
            http.optIn(recipient, BANK, "MARKETING_CLASS");
            recipients.add(recipient);
        }
        return recipients;
    }

    private List<QueuedMessage> queued(String recipient) {
        return gateway.queues().peek(PhoneNumber.parse(recipient).orElseThrow(), 10).join();
    }

    @Test
    void everyMemberIsSentOnceThroughAdmissionAndTheCampaignCompletes() {
        List<String> in = optedIn(3);
        String stranger = Recipients.next();
        Campaign created = bank.create("{\"name\":\"Spring\",\"templateName\":\"balance_alert\",\"pacePerSecond\":10,"
                + "\"quietHours\":{\"start\":\"00:00\",\"end\":\"00:00\"}}");
        assertThat(created.getState()).isEqualTo(Campaign.State.DRAFT);
        assertThat(created.getDeclaredCategory()).isEqualTo(org.optline.proto.v1.Category.MARKETING);

        String csv = "recipient,amount,day\n"
                + in.get(0) + ",10 EUR,Monday\n"
                + in.get(1) + ",\"1,000 EUR\",Tuesday\n"
                + "+1415,5 EUR,Friday\n"
                + in.get(2) + ",3 EUR,Sunday\n"
                + stranger + ",7 EUR,Monday\n"
                + in.get(0) + ",99 EUR,Again\n";
        HttpResponse<String> uploaded = bank.uploadRaw(created.getCampaignId(), "text/csv", csv);
        assertThat(uploaded.statusCode()).isEqualTo(200);
        assertThat(FULL_NUMBER.matcher(uploaded.body()).find()).as(uploaded.body()).isFalse();
        AudienceUploadResult result = bank.upload(created.getCampaignId(), "text/csv", "");
        assertThat(result.getAudience().getRecipients()).isEqualTo(4);
        assertThat(result.getAudience().getRows()).isEqualTo(6);
        assertThat(result.getAudience().getInvalidRows()).isEqualTo(1);
        assertThat(result.getAudience().getDuplicateRows()).isEqualTo(1);
        assertThat(uploaded.body()).contains("\"invalid\":[{\"line\":\"4\",\"problem\":\"INVALID_RECIPIENT\"}]");

        assertThat(bank.change(created.getCampaignId(), "schedule").getState()).isEqualTo(Campaign.State.SCHEDULED);
        run(gateway, Duration.ofSeconds(1), Duration.ofMillis(100));
        run(gateway, Duration.ofMillis(100), Duration.ofMillis(100));

        Campaign done = bank.get(created.getCampaignId());
        assertThat(done.getState()).isEqualTo(Campaign.State.COMPLETED);
        assertThat(CampaignRequests.count(done, Reason.ACCEPTED)).isEqualTo(3);
        assertThat(CampaignRequests.count(done, Reason.NOT_OPTED_IN)).isEqualTo(1);
        assertThat(done.getProgress().getSent()).isEqualTo(4);
        assertThat(done.getProgress().getRemaining()).isZero();
        assertThat(queued(in.get(0))).singleElement().satisfies(message -> {
            assertThat(message.campaignId()).isEqualTo(created.getCampaignId());
            assertThat(message.text()).isEqualTo("Your balance is 10 EUR on Monday.");
        });
        assertThat(queued(in.get(1))).singleElement().extracting(QueuedMessage::text)
                .isEqualTo("Your balance is 1,000 EUR on Tuesday.");
        assertThat(queued(stranger)).isEmpty();

        CampaignReport report = bank.report(created.getCampaignId());
        long accepted = report.getBucketsList().stream().flatMap(b -> b.getCounts().getByReasonList().stream())
                .filter(c -> c.getReason() == Reason.ACCEPTED).mapToLong(c -> c.getCount()).sum();
        assertThat(accepted).isEqualTo(3);
        HttpResponse<String> csvReport = bank.reportCsv(created.getCampaignId());
        assertThat(csvReport.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csvReport.body()).startsWith("bucket_start,accepted,").contains("\r\ntotal,3,");
        for (String body : List.of(csvReport.body(), http.get("/v1/campaigns", BANK_KEY).body(),
                http.get("/v1/campaigns/" + created.getCampaignId() + "/report", BANK_KEY).body())) {
            assertThat(FULL_NUMBER.matcher(body).find()).as(body).isFalse();
        }
    }

    @Test
    void aRetriedUploadAddsNobodyTwice() {
        List<String> in = optedIn(3);
        String id = bank.createText("Retry", "Spring sale: 10% off", 5).getCampaignId();
        String ndjson = String.join("\n", in.stream().map(r -> "{\"recipient\":\"" + r + "\"}").toList());

        AudienceUploadResult first = bank.upload(id, "application/x-ndjson", ndjson);
        AudienceUploadResult again = bank.upload(id, "application/x-ndjson", ndjson + "\n{\"recipient\":\"x\",\"extra\":1}");

        assertThat(first.getAdded()).isEqualTo(3);
        assertThat(again.getAdded()).isZero();
        assertThat(again.getDuplicateRows()).isEqualTo(3);
        assertThat(again.getInvalidList()).singleElement().satisfies(row -> {
            assertThat(row.getLine()).isEqualTo(4);
            assertThat(row.getProblem()).isEqualTo("MALFORMED_ROW");
        });
        assertThat(again.getAudience().getRecipients()).isEqualTo(3);

        bank.change(id, "schedule");
        run(gateway, Duration.ofSeconds(2), Duration.ofMillis(200));
        assertThat(bank.get(id).getState()).isEqualTo(Campaign.State.COMPLETED);
        for (String recipient : in) {
            assertThat(queued(recipient).stream().filter(m -> m.campaignId().equals(id))).hasSize(1);
        }
    }

    @Test
    void pauseStopsSendingAtOnceAndResumeGoesOnWhereItStopped() {
        List<String> in = optedIn(30);
        String id = bank.createText("Pausable", "Weekend offer: free delivery", 10).getCampaignId();
        bank.upload(id, "text/csv", String.join("\n", in));
        bank.change(id, "schedule");
        run(gateway, Duration.ofSeconds(1), Duration.ofMillis(100));
        long before = bank.get(id).getProgress().getSent();
        assertThat(before).isBetween(9L, 11L);

        assertThat(bank.change(id, "pause").getState()).isEqualTo(Campaign.State.PAUSED);
        long atPause = bank.get(id).getProgress().getSent();
        run(gateway, Duration.ofSeconds(3), Duration.ofMillis(100));
        assertThat(bank.get(id).getProgress().getSent()).isEqualTo(atPause);
        assertThat(bank.changeRaw(id, "pause").statusCode()).isEqualTo(409);

        assertThat(bank.change(id, "resume").getState()).isEqualTo(Campaign.State.RUNNING);
        run(gateway, Duration.ofSeconds(3), Duration.ofMillis(100));
        run(gateway, Duration.ofMillis(100), Duration.ofMillis(100));

        Campaign done = bank.get(id);
        assertThat(done.getState()).isEqualTo(Campaign.State.COMPLETED);
        assertThat(CampaignRequests.count(done, Reason.ACCEPTED)).isEqualTo(30);
        for (String recipient : in) {
            assertThat(queued(recipient)).hasSize(1);
        }
    }

    @Test
    void cancelStopsForGoodAndCountsWhoWasNotSentTo() {
        List<String> in = optedIn(20);
        String id = bank.createText("Cancelled", "Last chance: 15% off", 5).getCampaignId();
        bank.upload(id, "text/csv", String.join("\n", in));
        bank.change(id, "schedule");
        run(gateway, Duration.ofSeconds(1), Duration.ofMillis(100));

        Campaign cancelled = bank.change(id, "cancel");
        assertThat(cancelled.getState()).isEqualTo(Campaign.State.CANCELLED);
        run(gateway, Duration.ofSeconds(5), Duration.ofMillis(250));

        Campaign after = bank.get(id);
        assertThat(after.getProgress().getSent()).isEqualTo(cancelled.getProgress().getSent()).isBetween(4L, 6L);
        assertThat(after.getProgress().getRemaining()).isEqualTo(20 - after.getProgress().getSent());
        assertThat(bank.changeRaw(id, "resume").statusCode()).isEqualTo(409);
    }

    @Test
    void whatIsNotSentByTheEndTimeIsDroppedAndCounted() {
        List<String> in = optedIn(20);
        String endAt = gateway.clock().instant().plusSeconds(2).toString();
        String id = bank.create("{\"name\":\"Flash\",\"text\":\"Flash sale today\",\"pacePerSecond\":4,\"endAt\":\""
                + endAt + "\",\"quietHours\":{\"start\":\"00:00\",\"end\":\"00:00\"}}").getCampaignId();
        bank.upload(id, "text/csv", String.join("\n", in));
        bank.change(id, "schedule");
        run(gateway, Duration.ofSeconds(3), Duration.ofMillis(100));

        Campaign done = bank.get(id);
        assertThat(done.getState()).isEqualTo(Campaign.State.COMPLETED);
        long sent = done.getProgress().getSent();
        assertThat(sent).isBetween(6L, 9L);
        assertThat(done.getProgress().getCounts().getExpired()).isEqualTo(20 - sent);
        assertThat(done.getProgress().getRemaining()).isZero();
    }

    @Test
    void anotherBusinessCannotSeeOrChangeACampaign() {
        String id = bank.createText("Private", "Members' offer", 1).getCampaignId();
        CampaignRequests shop = new CampaignRequests(http, SHOP_KEY);

        assertThat(http.get("/v1/campaigns/" + id, SHOP_KEY).statusCode()).isEqualTo(404);
        assertThat(shop.changeRaw(id, "cancel").statusCode()).isEqualTo(404);
        assertThat(shop.uploadRaw(id, "text/csv", Recipients.next()).statusCode()).isEqualTo(404);
        assertThat(http.get("/v1/campaigns/" + id + "/report", SHOP_KEY).statusCode()).isEqualTo(404);
        assertThat(http.get("/v1/campaigns", SHOP_KEY).body()).doesNotContain(id);
        assertThat(bank.get(id).getState()).isEqualTo(Campaign.State.DRAFT);
    }

    @Test
    void refusalsSayWhatToFix() {
        String id = bank.createText("Refusals", "Offer", 1).getCampaignId();
        assertThat(bank.uploadRaw(id, "text/plain", "x").statusCode()).isEqualTo(415);
        assertThat(bank.changeRaw(id, "schedule").statusCode()).as("an empty audience").isEqualTo(409);
        assertThat(http.postJson("/v1/campaigns", BANK_KEY, "{\"name\":\"x\",\"templateName\":\"nope\",\"pacePerSecond\":1}")
                .body()).contains("no template named");
        assertThat(http.postJson("/v1/campaigns", BANK_KEY, "{\"name\":\"x\",\"text\":\"t\",\"pacePerSecond\":0}")
                .statusCode()).isEqualTo(400);
        assertThat(http.postJson("/v1/campaigns", BANK_KEY, "{\"name\":\"x\",\"text\":\"t\",\"pacePerSecond\":1,"
                + "\"quietHours\":{\"start\":\"25:00\",\"end\":\"08:00\"}}").statusCode()).isEqualTo(400);
        bank.upload(id, "text/csv", Recipients.next());
        bank.change(id, "schedule");
        HttpResponse<String> late = bank.uploadRaw(id, "text/csv", Recipients.next());
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("DRAFT");
        assertThat(http.get("/v1/campaigns/nope", BANK_KEY).statusCode()).isEqualTo(404);
    }
}
