package org.optline.server.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestHttp.message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.queue.QueuedMessage;
import org.optline.proto.v1.Reason;
import org.optline.server.Lifecycle;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.RawHttp;
import org.optline.server.testing.Recipients;

/**
 * Shutdown drains: a message that is waiting for storage when the gateway is told to stop is
 * still stored, new work is refused meanwhile, and only then does the gateway stop. This closes
 * its gateway, so it has a class of its own (the extension's own close afterwards does nothing).
 */
class GracefulShutdownTest {
    private static final HeldDeliveryQueues queues = new HeldDeliveryQueues();

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(b -> {}, queues);

    @Test
    void shutdownRefusesNewWorkAndStopsOnlyOnceTheMessageInFlightIsStored() throws Exception {
        String recipient = Recipients.next();
        gateway.http().optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try (RawHttp bystander = RawHttp.connect(gateway.gateway().httpPort())) {
            // A keep-alive connection that is open before the shutdown begins.
            assertThat(bystander.write(get("/health/ready")).readResponse().status()).isEqualTo(200);
            var inFlight = gateway.http().postJsonAsync("/v1/messages", BANK_KEY,
                    message("shutdown-1", recipient, "TRANSACTIONAL", "Your transfer has arrived."));
            HeldDeliveryQueues.Append append = queues.nextAppend();

            CompletableFuture<Void> closed = CompletableFuture.runAsync(gateway.gateway()::close, closer);
            awaitDrainBegun(gateway.gateway().context().lifecycle());

            assertThat(bystander.write(get("/health/ready")).readResponse().status()).isEqualTo(503);
            RawHttp.Response refused = bystander.write(post(message("shutdown-2", recipient, "TRANSACTIONAL",
                    "Your statement is ready."))).readResponse();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(ApiJson.error(refused.body()).getReason()).isEqualTo("SHUTTING_DOWN");
            assertThat(closed).as("close() waits for the message in flight").isNotDone();

            append.complete();
            closed.get(10, SECONDS);

            // The request stays in flight until its answer is written, so the answer got out.
            assertThat(ApiJson.result(inFlight.get(10, SECONDS)).getReason()).isEqualTo(Reason.ACCEPTED);

            assertThat(append.messages()).extracting(QueuedMessage::clientMessageId).containsExactly("shutdown-1");
            assertThat(queues.find(append.messages().get(0).messageId()).join()).isPresent();
            assertThat(queues.noneHeld()).as("the refused message never reached storage").isTrue();
            assertThat(gateway.gateway().context().lifecycle().inFlight()).isZero();
            assertThat(bystander.isClosedByServer()).isTrue();
        } finally {
            closer.shutdownNow();
        }
    }

    /** Readiness turns off first thing in close(), on the closing thread; wait for it, boundedly. */
    private static void awaitDrainBegun(Lifecycle lifecycle) {
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        while (lifecycle.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway did not begin draining within ten seconds");
            }
            Thread.onSpinWait();
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    private static String post(String json) {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + BANK_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json;
    }
}
