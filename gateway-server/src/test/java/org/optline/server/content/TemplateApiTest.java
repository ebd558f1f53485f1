package org.optline.server.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;
import static org.optline.server.testing.TestBusinesses.SHOP_KEY;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ErrorBody;
import org.optline.proto.v1.InboxPage;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.proto.v1.Template;
import org.optline.proto.v1.TemplateContent;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;
import org.optline.server.testing.TestTcpClient;

/**
 * The templates API over loopback: registration reviewed by the classifier (registered as
 * MARKETING with the reason, refused as spam with the reason), list, read, new version, delete,
 * and every change in effect at once for messages on any connection.
 */
class TemplateApiTest {
    /** The README's example: an abandoned-cart nudge declared as an alert. */
    static final String CART_TEXT = "Hi {{1}}, you left items in your cart! Complete your purchase today and save {{2}}.";
    /** The README's example: a look-alike parcel domain asking for a fee. */
    static final String PHISHING_TEXT =
            "Your parcel is on hold. Pay the {{1}} customs fee at http://usps-redelivery-help.com/track to release it";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private final TestHttp http = gateway.http();
    private final ContentApi api = new ContentApi(http);

    private static String name(String prefix) {
        String recipient = Recipients.next();
        return prefix + "_" + recipient.substring(recipient.length() - 5);
    }

    private String optedIn(String business, String consentClass) {
        String recipient = Recipients.next();
        http.optIn(recipient, business, consentClass);
        return recipient;
    }

    @Test
    void anAlertTemplateIsRegisteredAsDeclaredAndUsableAtOnce() {
        String name = name("order_shipped");
        Template shipped = api.registered(BANK_KEY, name, "TRANSACTIONAL",
                "Hi {{1}}, your order {{2}} has shipped and will arrive on {{3}}.");

        assertThat(shipped.getVersion()).isEqualTo(1);
        assertThat(shipped.getCategory()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(shipped.getReclassified()).isFalse();
        assertThat(shipped.getParameters()).isEqualTo(3);
        assertThat(shipped.getSource()).isEqualTo(Template.Source.API);
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        MessageResult result = api.send(BANK_KEY, ContentApi.templated("tpl-a-" + name, recipient, "TRANSACTIONAL",
                name, "Ada", "A-1042", "Friday"));
        assertThat(result.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(result.getCategory()).isEqualTo(Category.TRANSACTIONAL);
    }

    @Test
    void aTemplateDeclaredTransactionalThatSellsIsRegisteredAsMarketingAndItsMessagesAreMarketing() {
        String name = name("cart_reminder");
        Template cart = api.registered(BANK_KEY, name, "TRANSACTIONAL", CART_TEXT);

        assertThat(cart.getCategory()).isEqualTo(Category.MARKETING);
        assertThat(cart.getDeclaredCategory()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(cart.getReclassified()).isTrue();
        assertThat(cart.getReview()).startsWith("registered as MARKETING: the text reads as marketing: selling words:");

        String alertsOnly = optedIn(BANK, "TRANSACTIONAL_CLASS");
        MessageResult refused = api.send(BANK_KEY, ContentApi.templated("tpl-b-" + name, alertsOnly, "TRANSACTIONAL",
                name, "Ada", "10%"));
        assertThat(refused.getReason()).isEqualTo(Reason.NOT_OPTED_IN);
        assertThat(refused.getCategory()).isEqualTo(Category.MARKETING);
        assertThat(refused.getReclassified()).isTrue();
        assertThat(refused.getDetail()).isEqualTo("the recipient has not opted in to marketing from this business;"
                + " the template '" + name + "' is registered as MARKETING");

        String offers = optedIn(BANK, "MARKETING_CLASS");
        MessageResult accepted = api.send(BANK_KEY, ContentApi.templated("tpl-c-" + name, offers, "TRANSACTIONAL",
                name, "Ada", "10%"));
        assertThat(accepted.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(accepted.getCategory()).isEqualTo(Category.MARKETING);
    }

    @Test
    void aPhishingTemplateIsRefusedWithItsReasonAndCannotBeUsed() {
        String name = name("parcel_hold");
        HttpResponse<String> response = api.register(BANK_KEY, name, "TRANSACTIONAL", PHISHING_TEXT);

        assertThat(response.statusCode()).isEqualTo(422);
        ErrorBody error = ContentApi.error(response);
        assertThat(error.getReason()).isEqualTo("REJECTED_SPAM");
        assertThat(error.getDetail()).startsWith("the text reads as spam: look-alike domain \"usps-redelivery-help.com\"")
                .endsWith("; such a template is not registered");
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        assertThat(api.send(BANK_KEY, ContentApi.templated("tpl-d-" + name, recipient, "TRANSACTIONAL", name, "5 USD"))
                .getReason()).isEqualTo(Reason.UNKNOWN_TEMPLATE);
        assertThat(http.get("/v1/templates/" + name, BANK_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void aSpammyParameterIsCaughtWhenTheMessageIsSent() {
        String name = name("notice");
        api.registered(BANK_KEY, name, "TRANSACTIONAL", "Important notice about your account: {{1}}");
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");

        MessageResult result = api.send(BANK_KEY, ContentApi.templated("tpl-e-" + name, recipient, "TRANSACTIONAL",
                name, "Congratulations! You won a $1000 gift card. Claim now at bit.ly/claim-prize"));

        assertThat(result.getReason()).isEqualTo(Reason.REJECTED_SPAM);
    }

    @Test
    void listReadNewVersionAndDelete() {
        String name = name("statement");
        api.registered(BANK_KEY, name, "TRANSACTIONAL", "Your statement for {{1}} is ready.");

        assertThat(api.templates(BANK_KEY).getTemplatesList()).extracting(Template::getName, Template::getSource)
                .contains(org.assertj.core.groups.Tuple.tuple("balance_alert", Template.Source.CONFIGURATION),
                        org.assertj.core.groups.Tuple.tuple(name, Template.Source.API));
        HttpResponse<String> read = http.get("/v1/templates/" + name, BANK_KEY);
        assertThat(ContentApi.parse(read, Template.newBuilder()).getText()).isEqualTo("Your statement for {{1}} is ready.");

        HttpResponse<String> put = http.putJson("/v1/templates/" + name, BANK_KEY,
                ContentApi.templateJson(null, "TRANSACTIONAL", "Your {{1}} statement is ready to view."));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(ContentApi.parse(put, Template.newBuilder()).getVersion()).isEqualTo(2);
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        assertThat(api.send(BANK_KEY, ContentApi.templated("tpl-f-" + name, recipient, "TRANSACTIONAL", name, "March"))
                .getReason()).isEqualTo(Reason.ACCEPTED);
        InboxPage inbox = ContentApi.parse(http.get("/v1/inbox/" + URLEncoder.encode(recipient, StandardCharsets.UTF_8),
                PLATFORM_KEY), InboxPage.newBuilder()).build();
        assertThat(inbox.getMessages(0).getText()).isEqualTo("Your March statement is ready to view.");

        HttpResponse<String> delete = http.send(http.newRequest("/v1/templates/" + name, BANK_KEY).DELETE().build());
        assertThat(delete.statusCode()).isEqualTo(200);
        assertThat(api.send(BANK_KEY, ContentApi.templated("tpl-g-" + name, recipient, "TRANSACTIONAL", name, "April"))
                .getReason()).isEqualTo(Reason.UNKNOWN_TEMPLATE);
        assertThat(http.get("/v1/templates/" + name, BANK_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void theConfigurationsTemplatesAreReadOnlyAndANameIsRegisteredOnce() {
        HttpResponse<String> configured = http.send(http.newRequest("/v1/templates/balance_alert", BANK_KEY)
                .DELETE().build());
        assertThat(configured.statusCode()).isEqualTo(409);
        assertThat(ContentApi.error(configured).getReason()).isEqualTo("TEMPLATE_CONFIGURED");

        String name = name("twice");
        api.registered(BANK_KEY, name, "TRANSACTIONAL", "Your statement for {{1}} is ready.");
        HttpResponse<String> again = api.register(BANK_KEY, name, "TRANSACTIONAL", "Your statement is ready.");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(ContentApi.error(again).getReason()).isEqualTo("TEMPLATE_EXISTS");

        HttpResponse<String> invalid = api.register(BANK_KEY, name("gap"), "TRANSACTIONAL", "Hello {{2}}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(ContentApi.error(invalid).getReason()).isEqualTo("INVALID_TEMPLATE");
    }

    @Test
    void aBusinessNeverSeesNorUsesAnotherBusinesssTemplates() {
        String name = name("private");
        api.registered(BANK_KEY, name, "TRANSACTIONAL", "Your statement for {{1}} is ready.");

        assertThat(http.get("/v1/templates/" + name, SHOP_KEY).statusCode()).isEqualTo(404);
        assertThat(api.templates(SHOP_KEY).getTemplatesList()).extracting(Template::getName).doesNotContain(name);
        String recipient = optedIn(org.optline.server.testing.TestBusinesses.SHOP, "TRANSACTIONAL_CLASS");
        assertThat(api.send(SHOP_KEY, ContentApi.templated("tpl-h-" + name, recipient, "TRANSACTIONAL", name, "May"))
                .getReason()).isEqualTo(Reason.UNKNOWN_TEMPLATE);
    }

    @Test
    void aTemplateRegisteredOverHttpIsInEffectOnAnOpenTcpConnection() {
        String recipient = optedIn(BANK, "TRANSACTIONAL_CLASS");
        try (TestTcpClient tcp = gateway.tcp()) {
            tcp.authenticate(BANK_KEY);
            String name = name("tcp_alert");
            api.registered(BANK_KEY, name, "TRANSACTIONAL", "Your card was charged {{1}}.");

            tcp.send(ClientFrame.newBuilder().setSubmit(SubmitRequest.newBuilder().setRequestId(1)
                    .addMessages(Message.newBuilder().setClientMessageId("tpl-tcp-" + name).setRecipient(recipient)
                            .setDeclaredCategory(Category.TRANSACTIONAL)
                            .setTemplate(TemplateContent.newBuilder().setName(name).addParameters("12.00 EUR"))))
                    .build());
            ServerFrame answer = tcp.receive();

            assertThat(answer.getResult().getResults(0).getReason()).isEqualTo(Reason.ACCEPTED);
        }
    }
}
