package org.optline.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Credential;
import org.optline.proto.v1.Campaign;
import org.optline.proto.v1.InboxPage;
import org.optline.proto.v1.QueuedMessage;
import org.optline.proto.v1.Reason;
import org.optline.server.testing.CampaignRequests;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestHttp;

/**
 * A campaign on the durable store survives {@code kill -9} at any moment: a gateway runs as a child
 * process and is killed with SIGKILL three times while the campaign sends; after each restart the
 * campaign resumes from its last stored step. At the end every member's queue holds exactly one
 * message of the campaign: nobody skipped, nobody sent two.
 */
class CampaignKillNineTest {
    private static final String BUSINESS = "campaign-crash";
    private static final String BUSINESS_KEY = "olk_campaign_crash_key";
    private static final int AUDIENCE = 1_500;
    private static final int PACE = 100;
    private static final int KILLS = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** How long the test waits for the campaign to make progress or finish: far more than it needs. */
    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private GatewayProcess child;

    @AfterEach
    void killTheChild() {
        if (child != null) {
            child.close();
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aCampaignKilledThreeTimesSkipsNobodyAndSendsNobodyTwice() throws Exception {
        long seed = Long.getLong("optline.crash.seed", System.nanoTime());
        System.out.println("CampaignKillNineTest seed=" + seed);
        Random random = new Random(seed);
        Path config = writeConfig(temp.resolve("data"));
        child = GatewayProcess.start(config, START_TIMEOUT);
        TestHttp http = TestHttp.on(child.httpPort());
        List<String> audience = new ArrayList<>();
        for (int i = 0; i < AUDIENCE; i++) {
            String recipient = Recipients.next();
            http.optIn(recipient, BUSINESS, "MARKETING_CLASS");
            audience.add(recipient);
        }
        CampaignRequests campaigns = new CampaignRequests(http, BUSINESS_KEY);
        String id = campaigns.createText("Crash", "Spring sale: 10% off everything", PACE).getCampaignId();
        campaigns.upload(id, "text/csv", String.join("\n", audience));
        campaigns.change(id, "schedule");

        long previous = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            // A moment of the next few seconds of the campaign, chosen by the seed.
            long killAt = previous + 50 + random.nextInt(200);
            long sent = awaitSent(campaigns, id, killAt);
            child.kill();
            System.out.printf("kill %d/%d: campaign at %d sent or more (aimed at %d)%n", kill, KILLS, sent, killAt);
            child = GatewayProcess.start(config, START_TIMEOUT);
            campaigns = new CampaignRequests(TestHttp.on(child.httpPort()), BUSINESS_KEY);
            Campaign resumed = campaigns.get(id);
            assertThat(resumed.getState()).as("killed before the end, it resumes").isEqualTo(Campaign.State.RUNNING);
            previous = resumed.getProgress().getSent();
            System.out.printf("restarted: the stored progress says %d sent, resuming%n", previous);
        }
        Campaign done = awaitCompleted(campaigns, id);
        http = TestHttp.on(child.httpPort());

        int skipped = 0;
        int duplicated = 0;
        for (String recipient : audience) {
            InboxPage page = inbox(http, recipient);
            long copies = page.getMessagesList().stream().map(QueuedMessage::getCampaignId).filter(id::equals).count();
            if (copies == 0) {
                skipped++;
            } else if (copies > 1) {
                duplicated++;
            }
        }
        System.out.printf("completed: accepted=%d sent=%d skipped=%d duplicated=%d%n",
                CampaignRequests.count(done, Reason.ACCEPTED), done.getProgress().getSent(), skipped, duplicated);
        assertThat(skipped).as("members with no message (seed %d)", seed).isZero();
        assertThat(duplicated).as("members with two messages (seed %d)", seed).isZero();
        assertThat(CampaignRequests.count(done, Reason.ACCEPTED)).isEqualTo(AUDIENCE);
        assertThat(done.getProgress().getSent()).isEqualTo(AUDIENCE);
    }

    private static long awaitSent(CampaignRequests campaigns, String id, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long sent = campaigns.get(id).getProgress().getSent();
            if (sent >= atLeast) {
                return sent;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the campaign did not reach " + atLeast + " sent within " + PROGRESS_TIMEOUT);
    }

    private static Campaign awaitCompleted(CampaignRequests campaigns, String id) throws InterruptedException {
        long deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Campaign campaign = campaigns.get(id);
            if (campaign.getState() == Campaign.State.COMPLETED) {
                return campaign;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the campaign did not complete within " + PROGRESS_TIMEOUT);
    }

    private static InboxPage inbox(TestHttp http, String recipient) {
        var response = http.get("/v1/inbox/" + URLEncoder.encode(recipient, StandardCharsets.UTF_8) + "?max=10",
                TestBusinesses.PLATFORM_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        InboxPage.Builder page = InboxPage.newBuilder();
        try {
            com.google.protobuf.util.JsonFormat.parser().merge(response.body(), page);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(response.body(), e);
        }
        return page.build();
    }

    private Path writeConfig(Path dataDir) throws IOException {
        String properties = String.join("\n",
                "storage=rocksdb",
                "data.dir=" + dataDir.toString().replace("\\", "\\\\"),
                "http.port=0",
                "tcp.port=0",
                "demo.enabled=false",
                "platform.key-sha256=" + Credential.sha256Hex(TestBusinesses.PLATFORM_KEY),
                "business." + BUSINESS + ".key-sha256=" + Credential.sha256Hex(BUSINESS_KEY),
                // Campaigns get half: the pace asked for.
                "business." + BUSINESS + ".throughput=" + 2 * PACE,
                "business." + BUSINESS + ".tier=unlimited",
                "");
        Path file = temp.resolve("optline.properties");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
        return file;
    }
}
