package org.optline.server.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;

import java.net.http.HttpResponse;
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
import org.optline.proto.v1.BusinessStanding;
import org.optline.proto.v1.MarketingBudget;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.StandingEvent;
import org.optline.proto.v1.SubmitMessagesResponse;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * The read-outs over loopback: a business reads its tier and the usage of its rolling window;
 * the platform reads a recipient's remaining marketing budget, across businesses and per
 * business; a GREEN business that reached half its tier moves up, and reads it as an event.
 */
class StandingReadOutTest {
    private static final String TIERED = "tiered-shop";
    private static final String TIERED_KEY = "olk_tiered_shop_key";
    private static final String GROWING = "growing-shop";
    private static final String GROWING_KEY = "olk_growing_shop_key";
    private static final String USAGE = "usage-shop";
    private static final String USAGE_KEY = "olk_usage_shop_key";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(config -> config
            .business(business(TIERED, TIERED_KEY))
            .business(business(GROWING, GROWING_KEY))
            .business(business(USAGE, USAGE_KEY)));

    private final TestHttp http = gateway.http();
    private final ContentApi api = new ContentApi(http);

    private static Business business(String id, String key) {
        return new Business(id, List.of(Credential.ofSecret(key)), 1_000_000, Tier.TIER_1K, Quality.GREEN, Map.of());
    }

    private String optedIn(String business, String consentClass) {
        String recipient = Recipients.next();
        http.optIn(recipient, business, consentClass);
        return recipient;
    }

    @Test
    void aBusinessReadsItsTierAndHowMuchOfItsWindowItUsed() {
        for (int i = 0; i < 3; i++) {
            String recipient = optedIn(USAGE, "TRANSACTIONAL_CLASS");
            assertThat(api.text(USAGE_KEY, "usage-" + i, recipient, "TRANSACTIONAL", "Your order shipped").getReason())
                    .isEqualTo(Reason.ACCEPTED);
            api.text(USAGE_KEY, "usage-again-" + i, recipient, "TRANSACTIONAL", "Your order arrived");
        }

        BusinessStanding standing = api.standing(USAGE_KEY);

        assertThat(standing.getBusinessId()).isEqualTo(USAGE);
        assertThat(standing.getTier().getTier()).isEqualTo("1000");
        assertThat(standing.getTier().getLimit()).isEqualTo(1_000);
        assertThat(standing.getTier().getUsed()).as("unique recipients").isEqualTo(3);
        assertThat(standing.getTier().getRemaining()).isEqualTo(997);
        assertThat(standing.getTier().getWindowSeconds()).isEqualTo(86_400);
        assertThat(standing.getTier().getReachedInUpgradeWindow()).isEqualTo(3);
        assertThat(standing.getQuality().getRating().name()).isEqualTo("GREEN");
        assertThat(standing.getMarketing().getPaused()).isFalse();
        gateway.clock().advance(Duration.ofHours(24));
        assertThat(api.standing(USAGE_KEY).getTier().getUsed()).as("the window rolled on").isZero();
    }

    @Test
    void thePlatformReadsARecipientsRemainingMarketingBudget() {
        String person = Recipients.next();
        http.optIn(person, TIERED, "MARKETING_CLASS");
        http.optIn(person, BANK, "MARKETING_CLASS");
        api.text(TIERED_KEY, "budget-1", person, "MARKETING", "Our spring collection: 20% off");
        api.text(TIERED_KEY, "budget-2", person, "MARKETING", "Last day of the sale: 30% off");
        api.text(org.optline.server.testing.TestBusinesses.BANK_KEY, "budget-3", person, "MARKETING",
                "Open a savings account this month and earn 4% interest");

        MarketingBudget budget = api.budget(person, "");

        assertThat(budget.getRecipientMasked()).isNotEqualTo(person).endsWith(person.substring(person.length() - 4));
        assertThat(budget.getCap()).isEqualTo(5);
        assertThat(budget.getUsed()).isEqualTo(3);
        assertThat(budget.getRemaining()).isEqualTo(2);
        assertThat(budget.getCapPerBusiness()).isEqualTo(2);
        assertThat(budget.getBusinessesList()).extracting(b -> b.getBusinessId() + " " + b.getUsed() + " " + b.getRemaining())
                .containsExactly(TIERED + " 2 0", BANK + " 1 1");
        assertThat(budget.getNextFreeAt()).isEqualTo(gateway.clock().instant().plus(Duration.ofHours(24)).toString());
        assertThat(api.budget(person, "?businessId=" + GROWING).getBusinessesList())
                .extracting(b -> b.getBusinessId() + " " + b.getUsed() + " " + b.getRemaining())
                .containsExactly(GROWING + " 0 2");
        assertThat(api.text(TIERED_KEY, "budget-4", person, "MARKETING", "One more offer").getReason())
                .isEqualTo(Reason.FREQUENCY_CAPPED);
        HttpResponse<String> unknown = http.get("/v1/recipients/%2B447911100001/marketing-budget?businessId=nobody",
                PLATFORM_KEY);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void aGreenBusinessThatReachedHalfItsTierMovesUpAndReadsTheEvent() {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            recipients.add(optedIn(GROWING, "TRANSACTIONAL_CLASS"));
        }
        StringBuilder batch = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < recipients.size(); i++) {
            batch.append(i == 0 ? "" : ",").append(TestHttp.message("grow-" + i, recipients.get(i), "TRANSACTIONAL",
                    "Your order shipped"));
        }
        SubmitMessagesResponse answered = ContentApi.parse(http.postJson("/v1/messages", GROWING_KEY,
                batch.append("]}").toString()), SubmitMessagesResponse.newBuilder()).build();
        assertThat(answered.getResultsList()).allSatisfy(r -> assertThat(r.getReason()).isEqualTo(Reason.ACCEPTED));

        gateway.gateway().tick().join();

        BusinessStanding standing = api.standing(GROWING_KEY);
        assertThat(standing.getTier().getTier()).isEqualTo("10000");
        assertThat(standing.getTier().getConfiguredTier()).isEqualTo("1000");
        assertThat(standing.getTier().getRemaining()).isEqualTo(9_500);
        StandingEvent moved = api.events(GROWING_KEY).get(0);
        assertThat(moved.getKind()).isEqualTo(StandingEvent.Kind.TIER_CHANGED);
        assertThat(moved.getFromTier()).isEqualTo("1000");
        assertThat(moved.getToTier()).isEqualTo("10000");
        HttpResponse<String> operator = http.get("/v1/operations/businesses/" + GROWING, PLATFORM_KEY);
        assertThat(ContentApi.parse(operator, BusinessStanding.newBuilder()).getTier().getTier()).isEqualTo("10000");
        assertThat(http.get("/v1/operations/businesses/nobody", PLATFORM_KEY).statusCode()).isEqualTo(404);
    }
}
