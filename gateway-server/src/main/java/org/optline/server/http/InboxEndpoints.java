package org.optline.server.http;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.inbox.InboxService;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.AckRequest;
import org.optline.server.wire.InboxWire;
import io.netty.handler.codec.http.HttpResponseStatus;

/** A recipient's inbox, for the delivery side (platform credential): read in order, acknowledge delivered. */
final class InboxEndpoints {
    private final InboxService inbox;

    InboxEndpoints(InboxService inbox) {
        this.inbox = inbox;
    }

    /** {@code GET /v1/inbox/{recipient}?max=N}: the oldest queued messages, oldest first. */
    CompletableFuture<Reply> read(HttpCall call) throws HttpError {
        PhoneNumber recipient = call.recipientParameter("recipient");
        int max = pageSize(call);
        return inbox.read(recipient, max).thenApply(messages -> Reply.ok(messages, InboxWire::page));
    }

    /** {@code POST /v1/inbox/{recipient}/ack}: delivered messages leave the queue and the disk. */
    CompletableFuture<Reply> acknowledge(HttpCall call) throws HttpError {
        PhoneNumber recipient = call.recipientParameter("recipient");
        List<String> ids = call.body(AckRequest.newBuilder()).getMessageIdsList();
        if (ids.size() > InboxService.MAX_PAGE) {
            throw new HttpError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "BATCH_TOO_LARGE",
                    "acknowledge at most " + InboxService.MAX_PAGE + " messages at once");
        }
        return inbox.acknowledge(recipient, ids).thenApply(removed -> Reply.ok(removed, InboxWire::acknowledged));
    }

    private static int pageSize(HttpCall call) throws HttpError {
        String value = call.query("max").orElse(null);
        if (value == null) {
            return InboxService.DEFAULT_PAGE;
        }
        try {
            int max = Integer.parseInt(value);
            if (max >= 1 && max <= InboxService.MAX_PAGE) {
                return max;
            }
        } catch (NumberFormatException e) {
            // Answered below, like any other value out of range.
        }
        throw HttpError.invalidBody("max must be a whole number from 1 to " + InboxService.MAX_PAGE);
    }
}
