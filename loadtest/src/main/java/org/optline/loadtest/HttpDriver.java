package org.optline.loadtest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesResponse;

/**
 * Sends a run's messages with {@code POST /v1/messages}: a few keep-alive connections, one
 * request in flight on each, every request a batch claimed from the workload.
 */
final class HttpDriver implements Driver {
    private final RunPlan plan;
    private final Workload workload;
    private final Tally tally;
    private final GatewayRequests requests;
    private final HttpLanes lanes;

    HttpDriver(EventLoopGroup group, RunPlan plan, Workload workload, Tally tally) {
        this.plan = plan;
        this.workload = workload;
        this.tally = tally;
        this.requests = new GatewayRequests(plan.host(), plan.httpPort());
        this.lanes = new HttpLanes(group, plan.host(), plan.httpPort(), plan.connections(), tally::problem);
    }

    @Override
    public CompletableFuture<Void> start() {
        return lanes.run(this::nextExchange);
    }

    @Override
    public void stop(String cause) {
        workload.stop();
        lanes.stop(cause);
    }

    private HttpExchange nextExchange() {
        List<Message> batch = workload.claim(plan.batch());
        if (batch.isEmpty()) {
            return null;
        }
        return new HttpExchange() {
            @Override
            public FullHttpRequest request() {
                return requests.submit(plan.apiKey(), batch);
            }

            @Override
            public boolean replied(HttpReply reply) {
                return record(reply, batch.size(), tally);
            }

            @Override
            public void unanswered(String cause) {
                tally.unanswered(cause, batch.size());
            }
        };
    }

    /**
     * Counts the reply to a request of {@code messages} messages. A 429 or 503 refuses every
     * message of the request, so each counts as RATE_LIMITED or OVERLOADED; other errors leave
     * the messages without an answer. False when the key was refused: no request will pass.
     */
    static boolean record(HttpReply reply, int messages, Tally tally) {
        tally.requestAnswered();
        switch (reply.status()) {
            case 200 -> recordResults(reply, messages, tally);
            case 429 -> tally.answered(Reason.RATE_LIMITED, messages);
            case 503 -> tally.answered(Reason.OVERLOADED, messages);
            default -> {
                String cause = "HTTP " + reply.status() + reply.errorReason().map(r -> " " + r).orElse("");
                tally.unanswered(cause, messages);
                if (reply.status() == 401 || reply.status() == 403) {
                    tally.problem("key refused: HTTP " + reply.status());
                    return false;
                }
            }
        }
        return true;
    }

    private static void recordResults(HttpReply reply, int messages, Tally tally) {
        if (!reply.isProtobuf()) {
            tally.unanswered("HTTP 200 not protobuf", messages);
            return;
        }
        List<MessageResult> results;
        try {
            results = SubmitMessagesResponse.parseFrom(reply.body()).getResultsList();
        } catch (InvalidProtocolBufferException e) {
            tally.unanswered("HTTP 200 malformed body", messages);
            return;
        }
        int counted = Math.min(messages, results.size());
        for (int i = 0; i < counted; i++) {
            tally.answered(results.get(i).getReason());
        }
        tally.unanswered("result missing", messages - counted);
        if (results.size() > messages) {
            tally.problem("more results than messages");
        }
    }
}
