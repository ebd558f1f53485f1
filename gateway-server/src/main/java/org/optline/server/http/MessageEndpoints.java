package org.optline.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.status.MessageStatusService;
import org.optline.core.submission.SubmissionService;
import org.optline.core.submission.Submitted;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.SubmitMessagesRequest;
import org.optline.server.wire.MessageWire;

/** Messages, for the business that sends them: submit one or a batch, read a message's status. */
final class MessageEndpoints {
    private final SubmissionService submissions;
    private final MessageStatusService status;

    MessageEndpoints(SubmissionService submissions, MessageStatusService status) {
        this.submissions = submissions;
        this.status = status;
    }

    /**
     * {@code POST /v1/messages}: one message (a JSON {@code Message}) or a batch (a
     * {@code SubmitMessagesRequest}, in JSON or protobuf), answered per message.
     */
    CompletableFuture<Reply> submit(HttpCall call) throws HttpError {
        boolean protobuf = call.sendsProtobuf();
        Message plain = protobuf ? null : MessageJson.read(call.content());
        boolean single = plain != null || (!protobuf && !JsonShape.hasTopLevelField(call.content(), "messages"));
        List<Message> messages = plain != null ? List.of(plain)
                : single ? List.of(call.body(Message.newBuilder()).build())
                : call.body(SubmitMessagesRequest.newBuilder()).getMessagesList();
        return submissions.submit(call.business(), MessageWire.submissions(messages))
                .thenApply(submitted -> reply(submitted, single));
    }

    private static Reply reply(Submitted submitted, boolean single) {
        if (submitted instanceof Submitted.WrongSize wrong) {
            return wrong.messages() == 0
                    ? HttpError.invalidBody("the request carries no message").reply()
                    : Reply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "BATCH_TOO_LARGE",
                            "a request carries at most " + wrong.maxMessages() + " messages, this one "
                                    + wrong.messages());
        }
        if (!(submitted instanceof Submitted.Answered answered)) {
            return new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "SHUTTING_DOWN",
                    "the gateway is shutting down; retry on another node").reply();
        }
        List<Outcome> outcomes = answered.outcomes();
        HttpResponseStatus status = statusOf(outcomes);
        Reply reply = single
                ? Reply.of(status, outcomes.get(0), MessageWire::result)
                : Reply.of(status, outcomes, MessageWire::response);
        if (status != HttpResponseStatus.OK) {
            long retryMillis = outcomes.stream().mapToLong(Outcome::retryAfterMillis).max().orElse(1000);
            reply.header("Retry-After", Math.max(1, (retryMillis + 999) / 1000));
        }
        return reply;
    }

    /**
     * 200 when the request got definite per-message answers; 429 or 503 with Retry-After when
     * every message was refused for the same retryable reason (503 for OVERLOADED and
     * STORAGE_UNAVAILABLE), so that generic HTTP clients
     * back off without reading the body.
     */
    private static HttpResponseStatus statusOf(List<Outcome> outcomes) {
        Reason first = outcomes.get(0).reason();
        boolean allSame = outcomes.stream().allMatch(o -> o.reason() == first);
        if (allSame && first == Reason.RATE_LIMITED) {
            return HttpResponseStatus.TOO_MANY_REQUESTS;
        }
        if (allSame && (first == Reason.OVERLOADED || first == Reason.STORAGE_UNAVAILABLE)) {
            return HttpResponseStatus.SERVICE_UNAVAILABLE;
        }
        return HttpResponseStatus.OK;
    }

    /** {@code GET /v1/messages/{messageId}}: another business's message is answered like a missing one. */
    CompletableFuture<Reply> status(HttpCall call) {
        return status.status(call.business().id(), call.rawParameter("messageId")).thenApply(found -> found
                .map(record -> Reply.ok(record, MessageWire::status))
                .orElseGet(() -> Reply.error(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no message with this id")));
    }

    /**
     * {@code GET /v1/messages/by-client-id/{clientMessageId}} (percent-encoded): the latest message
     * under the business's own key, accepted (with its state) or refused (with its reason, for the
     * idempotency window).
     */
    CompletableFuture<Reply> statusByClientMessageId(HttpCall call) throws HttpError {
        String clientMessageId = call.decodedParameter("clientMessageId");
        return status.statusByClientMessageId(call.business().id(), clientMessageId).thenApply(found -> {
            if (found instanceof MessageStatusService.ByClientId.Accepted accepted) {
                return Reply.ok(accepted.record(), MessageWire::status);
            }
            if (found instanceof MessageStatusService.ByClientId.Refused refused) {
                return Reply.ok(refused.outcome(), MessageWire::refused);
            }
            return Reply.error(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no message with this clientMessageId");
        });
    }
}
