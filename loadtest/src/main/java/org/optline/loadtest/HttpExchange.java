package org.optline.loadtest;

import io.netty.handler.codec.http.FullHttpRequest;

/** One HTTP request of a run and what its answer means, carried out by {@link HttpLanes}. */
interface HttpExchange {

    /** The request to send; called once, and the caller owns the result. */
    FullHttpRequest request();

    /** Counts the reply; false when the run cannot go on, for example because a key was refused. */
    boolean replied(HttpReply reply);

    /** Counts that no reply came, because of {@code cause}. */
    void unanswered(String cause);
}
