package org.optline.loadtest;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesResponse;

/**
 * One keep-alive HTTP/1.1 connection of an open-model run: one {@code POST /v1/messages} in
 * flight at a time (HTTP/1.1 without pipelining, as senders' HTTP clients work), each a due
 * request claimed from the {@link OpenLoop}. Runs on its connection's event loop.
 */
final class HttpLane implements Lane {
    private final HttpConnection connection;
    private final GatewayRequests requests;
    private final String apiKey;
    private final int batch;
    private final RunMessages messages;
    private final Tally problems;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile OpenLoop loop;
    private volatile boolean room = true;
    private volatile boolean closed;

    /** The consumer side to tell of accepted messages, or null when there is none. */
    private final InboxReader reader;

    HttpLane(HttpConnection connection, GatewayRequests requests, String apiKey, int batch, RunMessages messages,
            Tally problems, InboxReader reader) {
        this.reader = reader;
        this.connection = connection;
        this.requests = requests;
        this.apiKey = apiKey;
        this.batch = batch;
        this.messages = messages;
        this.problems = problems;
    }

    /** Starts claiming requests from {@code run}. */
    void begin(OpenLoop run) {
        this.loop = run;
        wake();
    }

    @Override
    public boolean hasRoom() {
        return room && !closed;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void wake() {
        if (wakePending.compareAndSet(false, true)) {
            connection.execute(() -> {
                wakePending.set(false);
                fill();
            });
        }
    }

    /** Sends nothing more and closes the connection; a request in flight counts as unanswered. */
    void stop() {
        closed = true;
        connection.close();
    }

    private void fill() {
        OpenLoop run = loop;
        if (run == null || !room || closed) {
            return;
        }
        long request = run.claim();
        if (request < 0) {
            run.idle();
            return;
        }
        room = false;
        List<Message> batchMessages = new ArrayList<>(batch);
        long first = request * batch;
        for (int i = 0; i < batch; i++) {
            batchMessages.add(messages.message(first + i));
        }
        connection.exchange(requests.submit(apiKey, batchMessages)).whenComplete((reply, failure) -> {
            Tally tally = run.tally(request);
            if (failure != null) {
                tally.unanswered(closed ? "stopped" : HttpLanes.CONNECTION_CLOSED, batch);
                run.unanswered(request);
                closed = true;
                return;
            }
            List<MessageResult> results = new ArrayList<>();
            boolean keyAccepted = record(reply, batch, tally, problems, results::addAll);
            if (reader != null) {
                reader.accepted(messages, first, run.schedule().intendedNanos(request), results);
            }
            // settled only once counted, so a run that ends on this answer reports it
            run.answered(request);
            if (!keyAccepted) {
                stop();
                return;
            }
            if (!reply.keepAlive()) {
                problems.problem("the server closed an HTTP connection");
                stop();
                return;
            }
            room = true;
            fill();
        });
    }

    /**
     * Counts the reply to a request of {@code sent} messages. A 429 or 503 refuses every
     * message of the request, so each counts as RATE_LIMITED or OVERLOADED; other errors leave
     * the messages without an answer. False when the key was refused: no request will pass.
     */
    static boolean record(HttpReply reply, int sent, Tally tally, Tally problems) {
        return record(reply, sent, tally, problems, results -> { });
    }

    /** As {@link #record(HttpReply, int, Tally, Tally)}, also handing a 200's results to {@code results}. */
    static boolean record(HttpReply reply, int sent, Tally tally, Tally problems,
            Consumer<List<MessageResult>> results) {
        tally.requestAnswered();
        switch (reply.status()) {
            case 200 -> recordResults(reply, sent, tally, results);
            case 429 -> tally.answered(Reason.RATE_LIMITED, sent);
            case 503 -> tally.answered(Reason.OVERLOADED, sent);
            default -> {
                String cause = "HTTP " + reply.status() + reply.errorReason().map(r -> " " + r).orElse("");
                tally.unanswered(cause, sent);
                if (reply.status() == 401 || reply.status() == 403) {
                    problems.problem("key refused: HTTP " + reply.status());
                    return false;
                }
            }
        }
        return true;
    }

    private static void recordResults(HttpReply reply, int sent, Tally tally, Consumer<List<MessageResult>> results) {
        if (!reply.isProtobuf()) {
            tally.unanswered("HTTP 200 not protobuf", sent);
            return;
        }
        try {
            List<MessageResult> parsed = SubmitMessagesResponse.parseFrom(reply.body()).getResultsList();
            tally.answered(parsed, sent);
            results.accept(parsed);
        } catch (InvalidProtocolBufferException e) {
            tally.unanswered("HTTP 200 malformed body", sent);
        }
    }
}
