package org.optline.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.optline.proto.v1.InboxPage;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.MessageStatus;
import org.optline.proto.v1.QueuedMessage;
import org.optline.server.testing.TestHttp;

/** The delivery side's calls, as the end-to-end tests make them. */
final class DeliveryApi {
    private final TestHttp http;

    DeliveryApi(TestHttp http) {
        this.http = http;
    }

    static String inbox(String recipient) {
        return "/v1/inbox/" + URLEncoder.encode(recipient, StandardCharsets.UTF_8);
    }

    /** Submits one message and returns its message id (it must be accepted). */
    String accepted(String key, String clientMessageId, String recipient, String category, String text) {
        return accepted(key, TestHttp.message(clientMessageId, recipient, category, text));
    }

    String accepted(String key, String json) {
        HttpResponse<String> response = http.postJson("/v1/messages", key, json);
        MessageResult result = parse(response, MessageResult.newBuilder()).build();
        assertThat(result.getReason().name()).as(response.body()).isEqualTo("ACCEPTED");
        return result.getMessageId();
    }

    List<QueuedMessage> pull(String recipient, String query) {
        return parse(http.get(inbox(recipient) + query, PLATFORM_KEY), InboxPage.newBuilder()).getMessagesList();
    }

    List<String> pullIds(String recipient, String query) {
        return pull(recipient, query).stream().map(QueuedMessage::getMessageId).toList();
    }

    String report(String recipient, String what, String json) {
        HttpResponse<String> response = http.postJson(inbox(recipient) + "/" + what, PLATFORM_KEY, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    static String ids(String... ids) {
        return "{\"messageIds\":[" + String.join(",", Arrays.stream(ids).map(id -> "\"" + id + "\"").toList())
                + "]}";
    }

    MessageStatus status(String key, String messageId) {
        return parse(http.get("/v1/messages/" + messageId, key), MessageStatus.newBuilder()).build();
    }

    MessageStatus statusByClientId(String key, String clientMessageId) {
        return parse(http.get(byClientId(clientMessageId), key), MessageStatus.newBuilder()).build();
    }

    static String byClientId(String clientMessageId) {
        return "/v1/messages/by-client-id/" + URLEncoder.encode(clientMessageId, StandardCharsets.UTF_8);
    }

    static <B extends Message.Builder> B parse(HttpResponse<String> response, B builder) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            JsonFormat.parser().merge(response.body(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not JSON of " + builder.getDescriptorForType().getName() + ": " + response.body(), e);
        }
        return builder;
    }

    /** Waits, at most ten seconds, for something that happens on another thread (a tick, a push, a request). */
    static void eventually(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within ten seconds: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
