package org.optline.server.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestHttp.message;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.admission.AdmissionPolicy;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;

/**
 * When storage cannot keep up the gateway answers OVERLOADED (HTTP 503 with Retry-After) and
 * queues nothing, instead of piling work up in the heap. Storage is a queue whose appends wait
 * for the test, and at most one message may wait for storage at a time.
 */
class HttpOverloadTest {
    private static final HeldDeliveryQueues queues = new HeldDeliveryQueues();

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(
            // Batches of one and room for one pending append: the second message in flight is OVERLOADED.
            b -> b.admission(new AdmissionPolicy(1, 1600, 128, Duration.ofDays(7), 1, Duration.ofMillis(50))),
            queues);

    @Test
    void messageArrivingWhileStorageIsBehindIsOverloadedWith503AndItsRetryIsAdmittedAfresh() throws Exception {
        String waiting = optedIn();
        String refused = optedIn();
        CompletableFuture<HttpResponse<String>> first = gateway.http().postJsonAsync("/v1/messages", BANK_KEY,
                message("overload-1", waiting, "TRANSACTIONAL", "Your payment of 40 EUR was received."));
        HeldDeliveryQueues.Append firstAppend = queues.nextAppend();
        String overloadedBody = message("overload-2", refused, "TRANSACTIONAL", "Your card was renewed.");

        HttpResponse<String> overloaded = gateway.http().postJson("/v1/messages", BANK_KEY, overloadedBody);

        assertThat(overloaded.statusCode()).isEqualTo(503);
        assertThat(overloaded.headers().firstValue("Retry-After")).hasValue("1");
        MessageResult refusal = ApiJson.result(overloaded);
        assertThat(refusal.getReason()).isEqualTo(Reason.OVERLOADED);
        assertThat(refusal.getRetryAfterMs()).isEqualTo(50);
        assertThat(refusal.getMessageId()).isEmpty();
        assertThat(queues.noneHeld()).as("nothing of the refused message reached storage").isTrue();
        assertThat(first).isNotDone();

        firstAppend.complete();
        MessageResult accepted = ApiJson.result(first.get(10, SECONDS));

        assertThat(accepted.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(accepted.getMessageId()).isEqualTo(firstAppend.messages().get(0).messageId());

        CompletableFuture<HttpResponse<String>> retry =
                gateway.http().postJsonAsync("/v1/messages", BANK_KEY, overloadedBody);
        HeldDeliveryQueues.Append retryAppend = queues.nextAppend();
        retryAppend.complete();
        HttpResponse<String> retried = retry.get(10, SECONDS);

        assertThat(retried.statusCode()).isEqualTo(200);
        MessageResult admitted = ApiJson.result(retried);
        assertThat(admitted.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(admitted.getDuplicate()).isFalse();
        assertThat(admitted.getMessageId()).isEqualTo(retryAppend.messages().get(0).messageId());
    }

    @Test
    void metricsKeepAnsweringWhileStorageIsBehind() throws Exception {
        String recipient = optedIn();
        CompletableFuture<HttpResponse<String>> pending = gateway.http().postJsonAsync("/v1/messages", BANK_KEY,
                message("overload-metrics-1", recipient, "TRANSACTIONAL", "Your loan statement is ready."));
        HeldDeliveryQueues.Append append = queues.nextAppend();

        HttpResponse<String> metrics = gateway.http().get("/metrics", null);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("optline_queue_pending_appends 1.0");
        append.complete();
        assertThat(ApiJson.result(pending.get(10, SECONDS)).getReason()).isEqualTo(Reason.ACCEPTED);
    }

    private static String optedIn() {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        return recipient;
    }
}
