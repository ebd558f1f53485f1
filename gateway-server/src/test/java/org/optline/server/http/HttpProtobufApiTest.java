package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;

import com.google.protobuf.InvalidProtocolBufferException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesRequest;
import org.optline.proto.v1.SubmitMessagesResponse;
import org.optline.proto.v1.TemplateContent;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/** POST /v1/messages with binary protobuf bodies: the same schema and answers as JSON. */
class HttpProtobufApiTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    private static final String MESSAGES = "/v1/messages";

    @Test
    void protobufBatchIsAnsweredWithAProtobufResponse() throws InvalidProtocolBufferException {
        String optedIn = Recipients.next();
        gateway.http().optIn(optedIn, BANK, "TRANSACTIONAL_CLASS");
        SubmitMessagesRequest request = SubmitMessagesRequest.newBuilder()
                .addMessages(alert("pb-1", optedIn))
                .addMessages(alert("pb-2", Recipients.next()))
                .addMessages(Message.newBuilder().setClientMessageId("pb-3").setRecipient(optedIn)
                        .setDeclaredCategory(Category.TRANSACTIONAL)
                        .setTemplate(TemplateContent.newBuilder().setName("balance_alert")
                                .addParameters("EUR 310.00").addParameters("4 March")))
                .build();

        HttpResponse<byte[]> response = gateway.http().postProtobuf(MESSAGES, BANK_KEY, request.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        SubmitMessagesResponse answer = SubmitMessagesResponse.parseFrom(response.body());
        assertThat(answer.getResultsList()).extracting(MessageResult::getClientMessageId)
                .containsExactly("pb-1", "pb-2", "pb-3");
        assertThat(answer.getResultsList()).extracting(MessageResult::getReason)
                .containsExactly(Reason.ACCEPTED, Reason.NOT_OPTED_IN, Reason.ACCEPTED);
        assertThat(answer.getResults(0).getMessageId()).isNotEmpty();
        assertThat(answer.getResults(2).getCategory()).isEqualTo(Category.TRANSACTIONAL);
    }

    @Test
    void protobufBodyWithAcceptJsonIsAnsweredInJson() {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        byte[] body = SubmitMessagesRequest.newBuilder().addMessages(alert("pb-json-1", recipient)).build()
                .toByteArray();

        HttpResponse<String> response = TestHttp.send(gateway.http().newRequest(MESSAGES, BANK_KEY)
                .header("Content-Type", "application/x-protobuf")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        SubmitMessagesResponse answer = ApiJson.results(response);
        assertThat(answer.getResultsCount()).isEqualTo(1);
        assertThat(answer.getResults(0).getClientMessageId()).isEqualTo("pb-json-1");
        assertThat(answer.getResults(0).getReason()).isEqualTo(Reason.ACCEPTED);
    }

    @Test
    void bytesThatAreNotProtobufAre400InvalidBody() {
        // Field 1, length-delimited, announcing 100 bytes and carrying 3: a truncated message.
        byte[] garbage = {0x0A, 0x64, 0x01, 0x02, 0x03};

        HttpResponse<byte[]> response = gateway.http().postProtobuf(MESSAGES, BANK_KEY, garbage);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiJson.error(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)).getReason())
                .isEqualTo("INVALID_BODY");
    }

    private static Message alert(String clientMessageId, String recipient) {
        return Message.newBuilder()
                .setClientMessageId(clientMessageId)
                .setRecipient(recipient)
                .setDeclaredCategory(Category.TRANSACTIONAL)
                .setText("Your parcel 88120 arrives tomorrow between 9 and 11.")
                .build();
    }
}
