package org.optline.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Credential;
import org.optline.proto.v1.BusinessStanding;
import org.optline.proto.v1.MarketingBudget;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesResponse;
import org.optline.proto.v1.TemplateList;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestHttp;

/**
 * The anti-spam windows, templates and standings are durable: a gateway in a child process
 * reaches its tier, caps a recipient, refuses duplicate content, registers a template and has
 * its marketing paused by complaints; it is then killed with SIGKILL mid-window, restarted,
 * stopped cleanly and restarted again, and each time it refuses exactly what it refused before.
 */
class DurableLimitsTest {
    private static final String BUSINESS = "limits-shop";
    private static final String BUSINESS_KEY = "olk_limits_shop_key";
    private static final String PAUSED = "paused-shop";
    private static final String PAUSED_KEY = "olk_paused_shop_key";
    private static final String PLATFORM_KEY = TestBusinesses.PLATFORM_KEY;
    private static final int TIER = 1_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    @TempDir
    Path temp;

    private GatewayProcess child;
    private TestHttp http;
    private int sent;

    @AfterEach
    void killTheChild() {
        if (child != null) {
            child.close();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aKillNineAndACleanRestartKeepEveryRefusalOfTheWindow() throws Exception {
        Path config = writeConfig(temp.resolve("data"));
        start(config);
        List<String> reached = optedIn(BUSINESS, "TRANSACTIONAL_CLASS", TIER + 1);
        String capped = reached.get(0);
        String duplicated = reached.get(1);
        http.optIn(capped, BUSINESS, "MARKETING_CLASS");
        http.optIn(duplicated, BUSINESS, "MARKETING_CLASS");
        String beyondTier = reached.remove(TIER);
        SubmitMessagesResponse batch = parse(http.postJson("/v1/messages", BUSINESS_KEY, alerts(reached)),
                SubmitMessagesResponse.newBuilder()).build();
        assertThat(batch.getResultsList()).allSatisfy(r -> assertThat(r.getReason()).isEqualTo(Reason.ACCEPTED));
        assertThat(send(BUSINESS_KEY, capped, "MARKETING", "Our spring collection: 20% off")).isEqualTo(Reason.ACCEPTED);
        assertThat(send(BUSINESS_KEY, capped, "MARKETING", "Last day of the sale: 30% off")).isEqualTo(Reason.ACCEPTED);
        assertThat(send(BUSINESS_KEY, duplicated, "MARKETING", "Our spring collection: 20% off"))
                .isEqualTo(Reason.ACCEPTED);
        HttpResponse<String> template = http.postJson("/v1/templates", BUSINESS_KEY, "{\"name\":\"cart_reminder\","
                + "\"category\":\"TRANSACTIONAL\",\"text\":\"Hi {{1}}, you left items in your cart! Complete your"
                + " purchase today and save {{2}}.\"}");
        assertThat(template.statusCode()).as(template.body()).isEqualTo(200);
        pauseByComplaints();
        assertRefusalsOfTheWindow(capped, duplicated, beyondTier, reached.get(7));

        child.kill();
        start(config);
        assertRefusalsOfTheWindow(capped, duplicated, beyondTier, reached.get(8));

        child.terminate();
        start(config);
        assertRefusalsOfTheWindow(capped, duplicated, beyondTier, reached.get(9));
    }

    private void assertRefusalsOfTheWindow(String capped, String duplicated, String beyondTier, String reachedBefore) {
        assertThat(send(BUSINESS_KEY, beyondTier, "TRANSACTIONAL", "Your order shipped"))
                .isEqualTo(Reason.TIER_LIMIT_REACHED);
        assertThat(send(BUSINESS_KEY, reachedBefore, "TRANSACTIONAL", "Your order arrived"))
                .as("a recipient reached within the window").isEqualTo(Reason.ACCEPTED);
        assertThat(send(BUSINESS_KEY, capped, "MARKETING", "Weekend special: free delivery"))
                .isEqualTo(Reason.FREQUENCY_CAPPED);
        assertThat(send(BUSINESS_KEY, duplicated, "MARKETING", "Our spring collection: 20% off"))
                .isEqualTo(Reason.DUPLICATE_CONTENT);
        BusinessStanding standing = parse(http.get("/v1/business", BUSINESS_KEY), BusinessStanding.newBuilder()).build();
        assertThat(standing.getTier().getUsed()).isEqualTo(TIER);
        assertThat(standing.getTier().getRemaining()).isZero();
        MarketingBudget budget = parse(http.get("/v1/recipients/" + URLEncoder.encode(capped, StandardCharsets.UTF_8)
                + "/marketing-budget?businessId=" + BUSINESS, PLATFORM_KEY), MarketingBudget.newBuilder()).build();
        assertThat(budget.getRemaining()).isEqualTo(3);
        assertThat(budget.getBusinesses(0).getRemaining()).isZero();
        TemplateList templates = parse(http.get("/v1/templates", BUSINESS_KEY), TemplateList.newBuilder()).build();
        assertThat(templates.getTemplatesList()).singleElement()
                .satisfies(t -> assertThat(t.getCategory().name()).isEqualTo("MARKETING"));
        String offers = Recipients.next();
        http.optIn(offers, PAUSED, "MARKETING_CLASS");
        assertThat(send(PAUSED_KEY, offers, "MARKETING", "Our spring collection: 20% off"))
                .as("paused by complaints, for 3 hours").isEqualTo(Reason.BUSINESS_PAUSED);
    }

    /** Five recipients of the paused shop's offers report them as spam: its marketing pauses for 3 hours. */
    private void pauseByComplaints() {
        for (String recipient : optedIn(PAUSED, "MARKETING_CLASS", 5)) {
            MessageResult offer = parse(http.postJson("/v1/messages", PAUSED_KEY, TestHttp.message("p-" + sent++,
                    recipient, "MARKETING", "Our spring collection: 20% off")), MessageResult.newBuilder()).build();
            assertThat(offer.getReason()).isEqualTo(Reason.ACCEPTED);
            HttpResponse<String> report = http.postJson("/v1/feedback", PLATFORM_KEY, "{\"feedback\":[{\"messageId\":\""
                    + offer.getMessageId() + "\",\"recipient\":\"" + recipient + "\",\"kind\":\"SPAM_REPORT\"}]}");
            assertThat(report.body()).contains("RECORDED");
        }
    }

    private Reason send(String key, String recipient, String category, String text) {
        HttpResponse<String> response = http.postJson("/v1/messages", key,
                TestHttp.message("m-" + sent++, recipient, category, text));
        return parse(response, MessageResult.newBuilder()).getReason();
    }

    private void start(Path config) {
        child = GatewayProcess.start(config, START_TIMEOUT);
        http = TestHttp.on(child.httpPort());
    }

    /** Recipients opted in to a class of the business, many at once (each change is fsync'd). */
    private List<String> optedIn(String business, String consentClass, int count) throws RuntimeException {
        List<String> recipients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String recipient = Recipients.next();
                recipients.add(recipient);
                done.add(pool.submit(() -> http.optIn(recipient, business, consentClass)));
            }
            for (Future<?> each : done) {
                each.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("opting in failed", e);
        } finally {
            pool.shutdownNow();
        }
        return recipients;
    }

    private static String alerts(List<String> recipients) {
        StringBuilder json = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < recipients.size(); i++) {
            json.append(i == 0 ? "" : ",").append(TestHttp.message("tier-" + i, recipients.get(i), "TRANSACTIONAL",
                    "Your order shipped"));
        }
        return json.append("]}").toString();
    }

    private static <B extends Message.Builder> B parse(HttpResponse<String> response, B builder) {
        try {
            PARSER.merge(response.body(), builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a valid " + builder.getDescriptorForType().getName() + ": "
                    + response.body(), e);
        }
    }

    private Path writeConfig(Path dataDir) throws IOException {
        String properties = String.join("\n",
                "storage=rocksdb",
                "data.dir=" + dataDir.toString().replace("\\", "\\\\"),
                "http.port=0",
                "tcp.port=0",
                "demo.enabled=false",
                "platform.key-sha256=" + Credential.sha256Hex(PLATFORM_KEY),
                "business." + BUSINESS + ".key-sha256=" + Credential.sha256Hex(BUSINESS_KEY),
                "business." + BUSINESS + ".throughput=1000000",
                "business." + BUSINESS + ".tier=1000",
                // Held at YELLOW, so that reaching its whole tier does not move it up a tier meanwhile.
                "business." + BUSINESS + ".quality=YELLOW",
                "business." + PAUSED + ".key-sha256=" + Credential.sha256Hex(PAUSED_KEY),
                "business." + PAUSED + ".throughput=1000000",
                "");
        Path file = temp.resolve("optline.properties");
        Files.writeString(file, properties);
        return file;
    }
}
