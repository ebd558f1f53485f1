package org.optline.loadtest;

import java.util.concurrent.CompletableFuture;

/**
 * Carries out one phase of a run against the gateway (sending the messages, opting the
 * recipients in) over a few connections, and counts what comes back.
 */
interface Driver {

    /**
     * Opens the connections and starts the work. The future completes when every connection
     * has finished: the work ran out, the driver was stopped, or the connection was lost. It
     * never completes exceptionally; what went wrong is counted instead.
     */
    CompletableFuture<Void> start();

    /**
     * Hands out no more work and closes every connection; work in flight is counted as
     * unanswered under {@code cause}. Safe to call from any thread, more than once.
     */
    void stop(String cause);
}
