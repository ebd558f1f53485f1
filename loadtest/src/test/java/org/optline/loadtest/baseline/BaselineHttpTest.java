package org.optline.loadtest.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.proto.v1.ConsentAction;
import org.optline.proto.v1.ConsentChange;
import org.optline.proto.v1.ConsentChangeAck;
import org.optline.proto.v1.ErrorBody;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesRequest;
import org.optline.proto.v1.SubmitMessagesResponse;

/** The baseline's HTTP API over loopback, as the load-test client and the gateway speak it. */
class BaselineHttpTest {
    @RegisterExtension
    static final BaselineServerExtension baseline = new BaselineServerExtension();

    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    @Test
    void aProtobufBatchIsAnsweredWithOneAcceptedResultPerMessage() throws Exception {
        List<Message> batch = Messages.batch("http", 4);
        byte[] body = SubmitMessagesRequest.newBuilder().addAllMessages(batch).build().toByteArray();

        HttpResponse<byte[]> response = http.send(post("/v1/messages", PROTOBUF, body)
                .header("Accept", PROTOBUF).header("Authorization", "Bearer olk_any_key").build(),
                BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
        List<MessageResult> results = SubmitMessagesResponse.parseFrom(response.body()).getResultsList();
        assertThat(results).hasSameSizeAs(batch);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(results.get(i).getReason()).isEqualTo(Reason.ACCEPTED);
            assertThat(results.get(i).getClientMessageId()).isEqualTo(batch.get(i).getClientMessageId());
            assertThat(results.get(i).getCategory()).isEqualTo(batch.get(i).getDeclaredCategory());
            assertThat(UUID.fromString(results.get(i).getMessageId()).version()).isEqualTo(7);
        }
    }

    @Test
    void aJsonBatchIsAnsweredInJson() throws Exception {
        List<Message> batch = Messages.batch("json", 2);
        String body = JsonFormat.printer().print(SubmitMessagesRequest.newBuilder().addAllMessages(batch));

        HttpResponse<String> response = http.send(post("/v1/messages", JSON, body.getBytes()).build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON);
        SubmitMessagesResponse.Builder results = SubmitMessagesResponse.newBuilder();
        JsonFormat.parser().merge(response.body(), results);
        assertThat(results.getResultsList()).extracting(MessageResult::getClientMessageId, MessageResult::getReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("json-0", Reason.ACCEPTED),
                        org.assertj.core.groups.Tuple.tuple("json-1", Reason.ACCEPTED));
    }

    @Test
    void oneJsonMessageIsAnsweredWithOneResultAsOnTheGateway() throws Exception {
        String body = "{\"clientMessageId\":\"one-1\",\"recipient\":\"+447900000001\","
                + "\"declaredCategory\":\"TRANSACTIONAL\",\"text\":\"Your balance is 120.50 EUR\"}";

        HttpResponse<String> response = http.send(post("/v1/messages", JSON, body.getBytes()).build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON);
        MessageResult.Builder result = MessageResult.newBuilder();
        JsonFormat.parser().merge(response.body(), result);
        assertThat(result.getClientMessageId()).isEqualTo("one-1");
        assertThat(result.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(UUID.fromString(result.getMessageId()).version()).isEqualTo(7);
    }

    @Test
    void oneJsonMessageIsAnsweredInProtobufWhenAsked() throws Exception {
        String body = "{\"clientMessageId\":\"one-2\",\"recipient\":\"+447900000001\","
                + "\"declaredCategory\":\"TRANSACTIONAL\",\"text\":\"hi\"}";

        HttpResponse<byte[]> response = http.send(post("/v1/messages", JSON, body.getBytes())
                .header("Accept", PROTOBUF).build(), BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(MessageResult.parseFrom(response.body()).getClientMessageId()).isEqualTo("one-2");
    }

    @Test
    void aJsonBodyThatIsNeitherShapeIs400() throws Exception {
        HttpResponse<String> typo = http.send(post("/v1/messages", JSON,
                "{\"recipent\":\"+447900000001\"}".getBytes()).build(), BodyHandlers.ofString());
        HttpResponse<String> notAnObject = http.send(post("/v1/messages", JSON, "[1,2]".getBytes()).build(),
                BodyHandlers.ofString());
        HttpResponse<String> broken = http.send(post("/v1/messages", JSON, "{\"clientMessageId\":".getBytes())
                .build(), BodyHandlers.ofString());

        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(reason(typo)).isEqualTo("INVALID_BODY");
        assertThat(notAnObject.statusCode()).isEqualTo(400);
        assertThat(broken.statusCode()).isEqualTo(400);
    }

    @Test
    void anOptInIsDecodedAndAcknowledged() throws Exception {
        byte[] body = ConsentChange.newBuilder().setRecipient("+14155550123").setBusinessId("bank")
                .setAction(ConsentAction.OPT_IN).build().toByteArray();

        HttpResponse<byte[]> response = http.send(put("/v1/consents", PROTOBUF, body).header("Accept", PROTOBUF)
                .build(), BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ConsentChangeAck.parseFrom(response.body()).getRecordedAt()).isNotEmpty();
    }

    @Test
    void theLivenessCheckAnswers200() throws Exception {
        HttpResponse<String> response = http.send(request("/health/live").GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyThatIsNotTheDeclaredProtobufIs400() throws Exception {
        HttpResponse<String> response = http.send(post("/v1/messages", PROTOBUF, new byte[] {0x0A, 0x05, 0x01})
                .build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(reason(response)).isEqualTo("INVALID_BODY");
    }

    @Test
    void otherPathsMethodsAndMediaTypesAreRefusedWithAShortBody() throws Exception {
        HttpResponse<String> unknown = http.send(request("/v1/inbox/x").GET().build(), BodyHandlers.ofString());
        HttpResponse<String> wrongMethod = http.send(request("/v1/messages").GET().build(), BodyHandlers.ofString());
        HttpResponse<String> wrongType = http.send(post("/v1/messages", "text/plain", "hello".getBytes()).build(),
                BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(reason(unknown)).isEqualTo("NOT_FOUND");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(reason(wrongType)).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void aKeptAliveConnectionServesSeveralRequestsUntilConnectionClose() throws IOException {
        try (RawHttp client = RawHttp.connect(baseline.httpPort())) {
            client.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(200);
            client.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(200);

            client.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            RawHttp.Response last = client.readResponse();

            assertThat(last.status()).isEqualTo(200);
            assertThat(last.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aBodyOverTheLimitIs413AndTheConnectionCloses() throws IOException {
        try (RawHttp client = RawHttp.connect(baseline.httpPort())) {
            // The announced length alone is enough: the answer comes before any body byte is read.
            client.write("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + PROTOBUF
                    + "\r\nContent-Length: " + (Limits.MAX_BODY_BYTES + 1) + "\r\n\r\n");

            RawHttp.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Content-Type")).isEqualTo(JSON);
            assertThat(response.body()).contains("PAYLOAD_TOO_LARGE");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    private static String reason(HttpResponse<String> response) throws IOException {
        ErrorBody.Builder error = ErrorBody.newBuilder();
        JsonFormat.parser().merge(response.body(), error);
        return error.getReason();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + BaselineServerExtension.HOST + ":" + baseline.httpPort()
                + path)).timeout(TIMEOUT);
    }

    private HttpRequest.Builder post(String path, String contentType, byte[] body) {
        return request(path).header("Content-Type", contentType).POST(BodyPublishers.ofByteArray(body));
    }

    private HttpRequest.Builder put(String path, String contentType, byte[] body) {
        return request(path).header("Content-Type", contentType).PUT(BodyPublishers.ofByteArray(body));
    }
}
