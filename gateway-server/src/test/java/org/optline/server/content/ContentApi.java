package org.optline.server.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.optline.proto.v1.BusinessStanding;
import org.optline.proto.v1.ErrorBody;
import org.optline.proto.v1.FeedbackResponse;
import org.optline.proto.v1.FeedbackResult;
import org.optline.proto.v1.MarketingBudget;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.StandingEvent;
import org.optline.proto.v1.StandingEvents;
import org.optline.proto.v1.Template;
import org.optline.proto.v1.TemplateList;
import org.optline.server.testing.TestHttp;

/**
 * The content-trust calls as a client makes them, with the answers read strictly into the
 * schema's messages (an unknown JSON field fails the test).
 */
final class ContentApi {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final TestHttp http;

    ContentApi(TestHttp http) {
        this.http = http;
    }

    static <B extends Message.Builder> B parse(HttpResponse<String> response, B builder) {
        try {
            PARSER.merge(response.body(), builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a valid " + builder.getDescriptorForType().getName() + ": "
                    + response.body(), e);
        }
    }

    static String templateJson(String name, String category, String text) {
        return "{" + (name == null ? "" : "\"name\":\"" + name + "\",") + "\"category\":\"" + category
                + "\",\"text\":\"" + text + "\"}";
    }

    HttpResponse<String> register(String key, String name, String category, String text) {
        return http.postJson("/v1/templates", key, templateJson(name, category, text));
    }

    Template registered(String key, String name, String category, String text) {
        HttpResponse<String> response = register(key, name, category, text);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(response, Template.newBuilder()).build();
    }

    TemplateList templates(String key) {
        return parse(http.get("/v1/templates", key), TemplateList.newBuilder()).build();
    }

    static ErrorBody error(HttpResponse<String> response) {
        return parse(response, ErrorBody.newBuilder()).build();
    }

    /** A one-message submission with a template. */
    static String templated(String clientMessageId, String recipient, String category, String template,
                            String... parameters) {
        StringBuilder json = new StringBuilder("{\"clientMessageId\":\"" + clientMessageId + "\",\"recipient\":\""
                + recipient + "\",\"declaredCategory\":\"" + category + "\",\"template\":{\"name\":\"" + template
                + "\",\"parameters\":[");
        for (int i = 0; i < parameters.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(parameters[i]).append('"');
        }
        return json.append("]}}").toString();
    }

    MessageResult send(String key, String json) {
        HttpResponse<String> response = http.postJson("/v1/messages", key, json);
        return parse(response, MessageResult.newBuilder()).build();
    }

    MessageResult text(String key, String clientMessageId, String recipient, String category, String text) {
        return send(key, TestHttp.message(clientMessageId, recipient, category, text));
    }

    BusinessStanding standing(String key) {
        HttpResponse<String> response = http.get("/v1/business", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(response, BusinessStanding.newBuilder()).build();
    }

    List<StandingEvent> events(String key) {
        HttpResponse<String> response = http.get("/v1/business/events", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(response, StandingEvents.newBuilder()).getEventsList();
    }

    /** One report through POST /v1/feedback; answers its outcome. */
    FeedbackResult.Outcome feedback(String messageId, String recipient, String kind) {
        HttpResponse<String> response = http.postJson("/v1/feedback", PLATFORM_KEY, "{\"feedback\":[{\"messageId\":\""
                + messageId + "\",\"recipient\":\"" + recipient + "\",\"kind\":\"" + kind + "\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(response, FeedbackResponse.newBuilder()).getResults(0).getOutcome();
    }

    MarketingBudget budget(String recipient, String query) {
        HttpResponse<String> response = http.get("/v1/recipients/" + URLEncoder.encode(recipient,
                StandardCharsets.UTF_8) + "/marketing-budget" + query, PLATFORM_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(response, MarketingBudget.newBuilder()).build();
    }

    BusinessStanding lift(String businessId) {
        HttpResponse<String> response = http.postJson("/v1/operations/businesses/" + businessId + "/lift-pause",
                PLATFORM_KEY, "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return parse(response, BusinessStanding.newBuilder()).build();
    }
}
