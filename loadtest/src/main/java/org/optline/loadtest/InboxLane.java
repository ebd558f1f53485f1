package org.optline.loadtest;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.optline.proto.v1.InboxPage;
import org.optline.proto.v1.QueuedMessage;

/**
 * One connection of the consumer side: takes a watched recipient with new messages, reads a
 * page of its inbox, acknowledges what it read so the queue drains, and moves on; when no
 * recipient is waiting it looks again a millisecond later. Runs on its connection's event loop.
 */
final class InboxLane {
    /** A page as large as a device would fetch at once. */
    static final int PAGE = 100;
    /** How long an idle lane waits before it looks for work again. */
    private static final long IDLE_MILLIS = 1;
    /** How long a lane waits after a read that failed. */
    private static final long RETRY_MILLIS = 100;

    private final HttpConnection connection;
    private final GatewayRequests requests;
    private final String platformKey;
    private final Recipients recipients;
    private final InboxReader reader;
    private final Tally problems;
    private volatile boolean stopped;

    InboxLane(HttpConnection connection, GatewayRequests requests, String platformKey, Recipients recipients,
            InboxReader reader, Tally problems) {
        this.connection = connection;
        this.requests = requests;
        this.platformKey = platformKey;
        this.recipients = recipients;
        this.reader = reader;
        this.problems = problems;
    }

    void start() {
        connection.execute(this::next);
    }

    void stop() {
        stopped = true;
        connection.close();
    }

    private void next() {
        if (stopped) {
            return;
        }
        int recipient = reader.nextToRead();
        if (recipient < 0) {
            connection.schedule(this::next, IDLE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        String number = recipients.get(recipient);
        connection.exchange(requests.readInbox(platformKey, number, PAGE)).whenComplete((reply, failure) -> {
            if (failure != null || stopped) {
                if (!stopped) {
                    problems.problem("inbox connection lost");
                }
                reader.readAgain(recipient);
                return;
            }
            List<String> ids = page(reply);
            if (ids == null) {
                // an overloaded or refusing gateway is not asked again at once
                reader.readAgain(recipient);
                connection.schedule(this::next, RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            ids.forEach(reader::delivered);
            if (ids.size() == PAGE) {
                reader.readAgain(recipient);
            }
            if (ids.isEmpty()) {
                next();
                return;
            }
            connection.exchange(requests.acknowledge(platformKey, number, ids)).whenComplete((ack, ackFailure) -> {
                if (ackFailure == null && ack.status() != 200) {
                    problems.problem("inbox ack: HTTP " + ack.status());
                }
                next();
            });
        });
    }

    /** The message ids of an inbox page, or null when the reply is not one. */
    private List<String> page(HttpReply reply) {
        if (reply.status() != 200 || !reply.isProtobuf()) {
            problems.problem("inbox read: HTTP " + reply.status() + reply.errorReason().map(r -> " " + r).orElse(""));
            return null;
        }
        try {
            List<String> ids = new ArrayList<>();
            for (QueuedMessage message : InboxPage.parseFrom(reply.body()).getMessagesList()) {
                ids.add(message.getMessageId());
            }
            return ids;
        } catch (InvalidProtocolBufferException e) {
            problems.problem("inbox read: malformed page");
            return null;
        }
    }
}
