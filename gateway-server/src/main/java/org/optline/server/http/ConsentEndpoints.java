package org.optline.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import org.optline.core.consent.ConsentRequests;
import org.optline.core.consent.ConsentService;
import org.optline.core.erasure.ErasureService;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.ConsentChange;
import org.optline.proto.v1.ConsentRequestBody;
import org.optline.proto.v1.InboundReply;
import org.optline.server.wire.ConsentWire;
import org.optline.server.wire.Malformed;

/**
 * A person's consent and data: the platform records decisions and replies, reads and exports
 * them, and erases a person; a business asks for consent and reads its own requests.
 */
final class ConsentEndpoints {
    private final ConsentService consents;
    private final ErasureService erasure;
    private final InstantSource clock;

    ConsentEndpoints(ConsentService consents, ErasureService erasure, InstantSource clock) {
        this.consents = consents;
        this.erasure = erasure;
        this.clock = clock;
    }

    /** {@code PUT /v1/consents}: a decision, acknowledged once durable and in effect. */
    CompletableFuture<Reply> change(HttpCall call) throws HttpError {
        ConsentChange body = call.body(ConsentChange.newBuilder()).build();
        try {
            return consents.change(ConsentWire.decision(body)).thenApply(changed ->
                    changed instanceof ConsentService.Changed.Recorded recorded
                            ? Reply.ok(recorded.at(), ConsentWire::recorded)
                            : HttpError.unknownBusiness().reply());
        } catch (Malformed malformed) {
            throw HttpError.of(malformed);
        }
    }

    /** {@code GET /v1/consents/{recipient}}: the person's whole consent state. */
    CompletableFuture<Reply> records(HttpCall call) throws HttpError {
        PhoneNumber recipient = call.recipientParameter("recipient");
        return consents.records(recipient).thenApply(records ->
                Reply.ok(records, found -> ConsentWire.records(recipient, found)));
    }

    /** {@code GET /v1/consents/{recipient}/events}: the audit trail, for export. */
    CompletableFuture<Reply> history(HttpCall call) throws HttpError {
        PhoneNumber recipient = call.recipientParameter("recipient");
        return consents.history(recipient).thenApply(changes ->
                Reply.ok(changes, found -> ConsentWire.history(recipient, found)));
    }

    /** {@code POST /v1/replies}: a person's reply; a STOP keyword opts out before the answer. */
    CompletableFuture<Reply> reply(HttpCall call) throws HttpError {
        InboundReply body = call.body(InboundReply.newBuilder()).build();
        PhoneNumber recipient = HttpCall.recipientField(body.getRecipient());
        return consents.reply(recipient, body.getBusinessId(), body.getText()).thenApply(replied ->
                replied instanceof ConsentService.Replied.Read read
                        ? Reply.ok(read, r -> ConsentWire.reply(r.keyword(), r.changes()))
                        : HttpError.unknownBusiness().reply());
    }

    /**
     * {@code POST /v1/consent-requests} (business key): 200 with the open request, 409 when the
     * person already decided, 429 with Retry-After during the cool-down.
     */
    CompletableFuture<Reply> ask(HttpCall call) throws HttpError {
        ConsentRequestBody body = call.body(ConsentRequestBody.newBuilder()).build();
        PhoneNumber recipient = HttpCall.recipientField(body.getRecipient());
        try {
            return consents.ask(call.business().id(), recipient, ConsentWire.requestedClass(body.getConsentClass()))
                    .thenApply(this::asked);
        } catch (Malformed malformed) {
            throw HttpError.of(malformed);
        }
    }

    private Reply asked(ConsentRequests.Asked asked) {
        if (asked instanceof ConsentRequests.Asked.Open open) {
            return Reply.ok(open.status(), ConsentWire::requestStatus);
        }
        if (asked instanceof ConsentRequests.Asked.CoolingDown coolingDown) {
            Instant after = coolingDown.askAgainAfter();
            return Reply.error(HttpResponseStatus.TOO_MANY_REQUESTS, "COOLING_DOWN",
                    "this business asked for this class recently; ask again after " + after)
                    .header("Retry-After", Math.max(1, Duration.between(clock.instant(), after).toSeconds()));
        }
        return Reply.error(HttpResponseStatus.CONFLICT, "ALREADY_DECIDED",
                "the recipient already decided about this class for this business");
    }

    /** {@code GET /v1/consent-requests/{recipient}} (business key): the asking business's own requests only. */
    CompletableFuture<Reply> requests(HttpCall call) throws HttpError {
        return consents.requests(call.business().id(), call.recipientParameter("recipient"))
                .thenApply(statuses -> Reply.ok(statuses, ConsentWire::requests));
    }

    /** {@code DELETE /v1/recipients/{recipient}}: right to erasure, acknowledged once durable. */
    CompletableFuture<Reply> erase(HttpCall call) throws HttpError {
        return erasure.erase(call.recipientParameter("recipient")).thenApply(receipt -> Reply.ok(receipt, ConsentWire::erased));
    }
}
