package org.optline.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.delivery.Settlement;
import org.optline.core.inbox.InboxService;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.AckRequest;
import org.optline.proto.v1.FailRequest;
import org.optline.server.wire.InboxWire;

/**
 * A recipient's inbox, for the delivery side (platform credential): pull messages under a lease
 * (optionally waiting for one: a long-poll), and report them delivered, read or failed. The push
 * channel on the same inbox is a WebSocket ({@link PushUpgrade}); its route answers a plain GET
 * 426.
 */
final class InboxEndpoints {
    /** A lease or wait asked for in whole seconds; larger values are cut to the policy's bounds. */
    private static final int MAX_SECONDS_PARAMETER = 86_400;

    private final InboxService inbox;

    InboxEndpoints(InboxService inbox) {
        this.inbox = inbox;
    }

    /**
     * {@code GET /v1/inbox/{recipient}?max=N&leaseSeconds=S&waitSeconds=W}: leases up to N messages
     * in hand-out order; with W, waits up to W seconds for one when there is none.
     */
    CompletableFuture<Reply> read(HttpCall call) throws HttpError {
        PhoneNumber recipient = call.recipientParameter("recipient");
        int max = call.intQuery("max", InboxService.DEFAULT_PAGE, 1, InboxService.MAX_PAGE);
        int lease = call.intQuery("leaseSeconds", 0, 1, MAX_SECONDS_PARAMETER);
        int wait = call.intQuery("waitSeconds", 0, 0, MAX_SECONDS_PARAMETER);
        CompletableFuture<InboxService.Pulled> pull = inbox.pull(recipient, max,
                lease == 0 ? null : Duration.ofSeconds(lease), Duration.ofSeconds(wait));
        // A reader that went away takes nothing: its long-poll ends, and what it got goes back.
        call.onAbandoned(() -> pull.cancel(false));
        return pull.thenApply(pulled -> Reply.ok(pulled, InboxWire::page)
                .whenUndelivered(() -> inbox.giveBack(recipient, pulled)));
    }

    /** {@code POST /v1/inbox/{recipient}/ack}: delivered messages leave the queue; their status says DELIVERED. */
    CompletableFuture<Reply> acknowledge(HttpCall call) throws HttpError {
        PhoneNumber recipient = call.recipientParameter("recipient");
        List<String> ids = ids(call.body(AckRequest.newBuilder()).getMessageIdsList());
        return inbox.acknowledge(recipient, ids).thenApply(removed -> Reply.ok(removed, InboxWire::acknowledged));
    }

    /** {@code POST /v1/inbox/{recipient}/read}: the person read these messages. */
    CompletableFuture<Reply> markRead(HttpCall call) throws HttpError {
        PhoneNumber recipient = call.recipientParameter("recipient");
        List<String> ids = ids(call.body(AckRequest.newBuilder()).getMessageIdsList());
        return inbox.markRead(recipient, ids).thenApply(changed -> Reply.ok(changed, InboxWire::reported));
    }

    /** {@code POST /v1/inbox/{recipient}/fail}: the delivery side gives these messages up, for a reason. */
    CompletableFuture<Reply> fail(HttpCall call) throws HttpError {
        PhoneNumber recipient = call.recipientParameter("recipient");
        FailRequest request = call.body(FailRequest.newBuilder()).build();
        List<String> ids = ids(request.getMessageIdsList());
        if (request.getReason().length() > Settlement.MAX_REASON_LENGTH) {
            throw HttpError.invalidBody("reason is longer than " + Settlement.MAX_REASON_LENGTH + " characters");
        }
        return inbox.fail(recipient, ids, request.getReason()).thenApply(changed -> Reply.ok(changed, InboxWire::reported));
    }

    /** {@code GET /v1/inbox/{recipient}/push} without a WebSocket upgrade: says how to ask. */
    CompletableFuture<Reply> push(HttpCall call) throws HttpError {
        call.recipientParameter("recipient");
        return CompletableFuture.completedFuture(Reply.error(HttpResponseStatus.UPGRADE_REQUIRED, "UPGRADE_REQUIRED",
                "this endpoint is a WebSocket: send Upgrade: websocket, or long-poll GET /v1/inbox/{recipient}?waitSeconds=N")
                .header("Upgrade", "websocket"));
    }

    private static List<String> ids(List<String> ids) throws HttpError {
        if (ids.size() > InboxService.MAX_PAGE) {
            throw new HttpError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "BATCH_TOO_LARGE",
                    "report at most " + InboxService.MAX_PAGE + " messages at once");
        }
        return ids;
    }
}
