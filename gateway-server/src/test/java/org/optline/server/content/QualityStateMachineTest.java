package org.optline.server.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.proto.v1.BusinessStanding;
import org.optline.proto.v1.FeedbackResult;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.StandingEvent;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * The quality state machine end to end, on the gateway's fake clock: a burst of spam reports
 * pauses a business's marketing while its alerts still flow, the pause ends on time, the next
 * complaint pauses it for 6 hours, the third pause holds until an operator lifts it, and the
 * business reads every change as an event. Blocks recorded through the consent API count too.
 */
class QualityStateMachineTest {
    private static final String PROMO = "promo-shop";
    private static final String PROMO_KEY = "olk_promo_shop_key";
    private static final String BLOCKED = "blocked-shop";
    private static final String BLOCKED_KEY = "olk_blocked_shop_key";
    private static final String QUIET = "quiet-shop";
    private static final String QUIET_KEY = "olk_quiet_shop_key";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(config -> config
            .business(business(PROMO, PROMO_KEY))
            .business(business(BLOCKED, BLOCKED_KEY))
            .business(business(QUIET, QUIET_KEY)));

    private final TestHttp http = gateway.http();
    private final ContentApi api = new ContentApi(http);
    private int sent;

    private static Business business(String id, String key) {
        return new Business(id, List.of(Credential.ofSecret(key)), 1_000, Tier.TIER_100K, Quality.GREEN, Map.of());
    }

    /** A recipient who said yes to both classes from the business. */
    private String optedIn(String business) {
        String recipient = Recipients.next();
        http.optIn(recipient, business, "TRANSACTIONAL_CLASS");
        http.optIn(recipient, business, "MARKETING_CLASS");
        return recipient;
    }

    private MessageResult offer(String key, String recipient) {
        return api.text(key, "offer-" + sent++, recipient, "MARKETING", "Our spring collection is here: 20% off");
    }

    private MessageResult alert(String key, String recipient) {
        return api.text(key, "alert-" + sent++, recipient, "TRANSACTIONAL", "Your order A-1042 has shipped");
    }

    /** An offer to a new recipient, who reports it as spam. */
    private void complaint() {
        String recipient = optedIn(PROMO);
        MessageResult offer = offer(PROMO_KEY, recipient);
        assertThat(offer.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(api.feedback(offer.getMessageId(), recipient, "SPAM_REPORT")).isEqualTo(FeedbackResult.Outcome.RECORDED);
    }

    private Reason nextOffer() {
        return offer(PROMO_KEY, optedIn(PROMO)).getReason();
    }

    private Instant now() {
        return gateway.clock().instant();
    }

    @Test
    void burstOfSpamReportsPausesMarketingAlertsFlowThePauseEndsOnTimeAndTheThirdHoldsUntilLifted() {
        assertThat(nextOffer()).isEqualTo(Reason.ACCEPTED);
        for (int i = 0; i < 5; i++) {
            complaint();
        }
        Instant firstEnds = now().plus(Duration.ofHours(3));

        BusinessStanding paused = api.standing(PROMO_KEY);
        assertThat(paused.getQuality().getRating().name()).isEqualTo("RED");
        assertThat(paused.getQuality().getSpamReports()).isEqualTo(5);
        assertThat(paused.getMarketing().getPaused()).isTrue();
        assertThat(paused.getMarketing().getPausedUntil()).isEqualTo(firstEnds.toString());
        MessageResult refused = offer(PROMO_KEY, optedIn(PROMO));
        assertThat(refused.getReason()).isEqualTo(Reason.BUSINESS_PAUSED);
        assertThat(refused.getDetail()).isEqualTo("the business's marketing is paused for low quality");
        assertThat(alert(PROMO_KEY, optedIn(PROMO)).getReason()).as("alerts still flow").isEqualTo(Reason.ACCEPTED);

        gateway.clock().advance(Duration.ofHours(3).minusMillis(1));
        assertThat(nextOffer()).isEqualTo(Reason.BUSINESS_PAUSED);
        gateway.clock().advance(Duration.ofMillis(1));
        assertThat(nextOffer()).as("the 3-hour pause ended on time").isEqualTo(Reason.ACCEPTED);
        gateway.gateway().tick().join();
        StandingEvent resumed = last(api.events(PROMO_KEY));
        assertThat(resumed.getKind()).isEqualTo(StandingEvent.Kind.MARKETING_RESUMED);
        assertThat(resumed.getAt()).isEqualTo(firstEnds.toString());

        gateway.clock().advance(Duration.ofSeconds(1));
        complaint();
        assertThat(api.standing(PROMO_KEY).getMarketing().getPausedUntil())
                .as("the second pause: 6 hours").isEqualTo(now().plus(Duration.ofHours(6)).toString());
        assertThat(nextOffer()).isEqualTo(Reason.BUSINESS_PAUSED);
        gateway.clock().advance(Duration.ofHours(6));
        assertThat(nextOffer()).isEqualTo(Reason.ACCEPTED);

        gateway.clock().advance(Duration.ofSeconds(1));
        complaint();
        BusinessStanding held = api.standing(PROMO_KEY);
        assertThat(held.getMarketing().getHeldUntilLifted()).isTrue();
        assertThat(held.getMarketing().getPausedUntil()).isEmpty();
        gateway.clock().advance(Duration.ofDays(2));
        gateway.gateway().tick().join();
        assertThat(nextOffer()).as("the third pause holds").isEqualTo(Reason.BUSINESS_PAUSED);
        assertThat(alert(PROMO_KEY, optedIn(PROMO)).getReason()).isEqualTo(Reason.ACCEPTED);

        BusinessStanding lifted = api.lift(PROMO);
        assertThat(lifted.getMarketing().getPaused()).isFalse();
        assertThat(lifted.getMarketing().getPauses()).isZero();
        assertThat(nextOffer()).isEqualTo(Reason.ACCEPTED);

        assertThat(api.events(PROMO_KEY)).extracting(StandingEvent::getKind).containsExactly(
                StandingEvent.Kind.QUALITY_CHANGED, StandingEvent.Kind.MARKETING_PAUSED,
                StandingEvent.Kind.MARKETING_RESUMED,
                StandingEvent.Kind.MARKETING_PAUSED, StandingEvent.Kind.MARKETING_RESUMED,
                StandingEvent.Kind.MARKETING_PAUSED,
                StandingEvent.Kind.MARKETING_RESUMED);
        StandingEvent liftedEvent = last(api.events(PROMO_KEY));
        assertThat(liftedEvent.getDetail()).isEqualTo(
                "the held pause was lifted by an operator; the next pause is again 3 hours");
        List<StandingEvent> events = api.events(PROMO_KEY);
        assertThat(events.get(5).getHeldUntilLifted()).isTrue();
        assertThat(events).allSatisfy(event -> assertThat(event.toString()).doesNotContain("+4479"));
        long second = events.get(1).getSequence();
        assertThat(http.get("/v1/business/events?after=" + second, PROMO_KEY).body())
                .doesNotContain("\"sequence\":\"" + second + "\"");
    }

    @Test
    void theSameReportCountsOnceAndAReportOnAnotherRecipientsMessageCountsNothing() {
        String recipient = optedIn(QUIET);
        MessageResult alert = alert(QUIET_KEY, recipient);

        assertThat(api.feedback(alert.getMessageId(), recipient, "POSITIVE")).isEqualTo(FeedbackResult.Outcome.RECORDED);
        assertThat(api.feedback(alert.getMessageId(), recipient, "SPAM_REPORT"))
                .isEqualTo(FeedbackResult.Outcome.RECORDED);
        assertThat(api.feedback(alert.getMessageId(), recipient, "SPAM_REPORT"))
                .isEqualTo(FeedbackResult.Outcome.ALREADY_RECORDED);
        String stranger = Recipients.next();
        assertThat(api.feedback(alert.getMessageId(), stranger, "SPAM_REPORT"))
                .isEqualTo(FeedbackResult.Outcome.UNKNOWN_MESSAGE);
        assertThat(api.feedback("01a20e9d-0000-7000-8000-000000000000", recipient, "SPAM_REPORT"))
                .isEqualTo(FeedbackResult.Outcome.UNKNOWN_MESSAGE);
        BusinessStanding standing = api.standing(QUIET_KEY);
        assertThat(standing.getQuality().getSpamReports()).isEqualTo(1);
        assertThat(standing.getQuality().getPositives()).isEqualTo(1);
        assertThat(standing.getQuality().getComplaintRate()).isEqualTo(0.5);
        assertThat(standing.getQuality().getRating().name()).as("one complaint is not a pattern").isEqualTo("GREEN");
    }

    @Test
    void blocksThroughTheConsentApiAndAsFeedbackCountOncePerRecipient() {
        String viaConsents = optedIn(BLOCKED);
        alert(BLOCKED_KEY, viaConsents);
        http.consent(viaConsents, BLOCKED, "BLOCK", null);
        http.consent(viaConsents, BLOCKED, "BLOCK", null);
        String viaFeedback = optedIn(BLOCKED);
        MessageResult alert = alert(BLOCKED_KEY, viaFeedback);

        assertThat(api.feedback(alert.getMessageId(), viaFeedback, "BLOCK")).isEqualTo(FeedbackResult.Outcome.RECORDED);

        assertThat(api.standing(BLOCKED_KEY).getQuality().getBlocks()).isEqualTo(2);
        assertThat(alert(BLOCKED_KEY, viaFeedback).getReason()).as("the block is a consent block too")
                .isEqualTo(Reason.BLOCKED);
    }

    private static StandingEvent last(List<StandingEvent> events) {
        return events.get(events.size() - 1);
    }
}
