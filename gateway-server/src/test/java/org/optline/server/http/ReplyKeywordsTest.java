package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;

import com.google.protobuf.util.JsonFormat;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.proto.v1.ConsentEvent;
import org.optline.proto.v1.ConsentHistory;
import org.optline.proto.v1.ConsentSource;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.ReplyOutcome;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/** Opt-out by reply (STOP, STOPALL, START) and the export of the audit trail. */
class ReplyKeywordsTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private static int sequence;

    private static ReplyOutcome reply(String recipient, String text) throws Exception {
        HttpResponse<String> response = gateway.http().postJson("/v1/replies", PLATFORM_KEY,
                "{\"recipient\":\"" + recipient + "\",\"businessId\":\"" + BANK + "\",\"text\":\"" + text + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ReplyOutcome.Builder outcome = ReplyOutcome.newBuilder();
        JsonFormat.parser().merge(response.body(), outcome);
        return outcome.build();
    }

    private static Reason send(String recipient, String category, String text) throws Exception {
        HttpResponse<String> response = gateway.http().postJson("/v1/messages", BANK_KEY,
                TestHttp.message("reply-" + (++sequence), recipient, category, text + " #" + sequence));
        MessageResult.Builder result = MessageResult.newBuilder();
        JsonFormat.parser().merge(response.body(), result);
        return result.getReason();
    }

    private static String optedInToBoth() {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        gateway.http().optIn(recipient, BANK, "MARKETING_CLASS");
        return recipient;
    }

    @Test
    void stopInAnyCaseEndsMarketingAndKeepsAlertsUntilStartBringsItBack() throws Exception {
        String recipient = optedInToBoth();

        assertThat(reply(recipient, "  stop ").getKeyword()).isEqualTo("STOP");
        assertThat(send(recipient, "MARKETING", "New offers this week")).isEqualTo(Reason.OPTED_OUT);
        assertThat(send(recipient, "TRANSACTIONAL", "Your balance is 3 EUR")).isEqualTo(Reason.ACCEPTED);

        assertThat(reply(recipient, "Start").getChangesList()).hasSize(1);
        assertThat(send(recipient, "MARKETING", "New offers this week")).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void everySynonymOfStopWorks() throws Exception {
        for (String word : List.of("UNSUBSCRIBE", "cancel", "End", "QUIT", "optout", "Revoke")) {
            String recipient = optedInToBoth();
            assertThat(reply(recipient, word).getKeyword()).isEqualTo(word.toUpperCase(java.util.Locale.ROOT));
            assertThat(send(recipient, "MARKETING", "New offers this week")).as(word).isEqualTo(Reason.OPTED_OUT);
        }
    }

    @Test
    void stopAllEndsEverythingFromThatBusiness() throws Exception {
        String recipient = optedInToBoth();

        assertThat(reply(recipient, "STOPALL").getChangesList()).hasSize(2);

        assertThat(send(recipient, "TRANSACTIONAL", "Your balance is 3 EUR")).isEqualTo(Reason.OPTED_OUT);
        assertThat(send(recipient, "MARKETING", "New offers this week")).isEqualTo(Reason.OPTED_OUT);
    }

    @Test
    void startDoesNotUndoAnOptOutMadeInTheApp() throws Exception {
        String recipient = optedInToBoth();
        gateway.http().consent(recipient, BANK, "OPT_OUT", "MARKETING_CLASS");

        assertThat(reply(recipient, "START").getChangesList()).isEmpty();
        assertThat(send(recipient, "MARKETING", "New offers this week")).isEqualTo(Reason.OPTED_OUT);
    }

    @Test
    void anyOtherReplyChangesNothing() throws Exception {
        String recipient = optedInToBoth();
        ReplyOutcome outcome = reply(recipient, "stop sending me the weekly stuff please");
        assertThat(outcome.getKeyword()).isEmpty();
        assertThat(outcome.getChangesList()).isEmpty();
        assertThat(send(recipient, "MARKETING", "New offers this week")).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void theAuditTrailIsExportedOldestFirstWithItsSources() throws Exception {
        String recipient = optedInToBoth();
        reply(recipient, "STOP");

        HttpResponse<String> response = gateway.http().get(
                "/v1/consents/" + recipient.replace("+", "%2B") + "/events", PLATFORM_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        ConsentHistory.Builder history = ConsentHistory.newBuilder();
        JsonFormat.parser().merge(response.body(), history);
        assertThat(history.getEventsList()).extracting(ConsentEvent::getSource)
                .containsExactly(ConsentSource.APP, ConsentSource.APP, ConsentSource.KEYWORD);
        assertThat(gateway.http().get("/v1/consents/" + recipient.replace("+", "%2B") + "/events", BANK_KEY)
                .statusCode()).as("a business cannot read a person's trail").isEqualTo(403);
    }

    @Test
    void aBusinessKeyCannotPostAReply() {
        HttpResponse<String> response = gateway.http().postJson("/v1/replies", BANK_KEY,
                "{\"recipient\":\"+447911100001\",\"businessId\":\"" + BANK + "\",\"text\":\"STOP\"}");
        assertThat(response.statusCode()).isEqualTo(403);
    }
}
