package org.optline.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps a fixed number of keep-alive HTTP connections busy with one exchange each (HTTP/1.1
 * without pipelining) until the work runs out or the lanes are stopped. Each lane moves on
 * from one exchange to the next on its connection's event loop, so nothing blocks.
 */
final class HttpLanes {
    /** The cause for an exchange whose connection was lost before the reply. */
    static final String CONNECTION_CLOSED = "connection closed";

    private final Bootstrap bootstrap;
    private final String host;
    private final int port;
    private final int connections;
    private final Consumer<String> problems;
    private final Queue<HttpConnection> open = new ConcurrentLinkedQueue<>();
    private volatile String stopCause;

    /** {@code problems} hears of connection-level trouble, such as a refused connection. */
    HttpLanes(EventLoopGroup group, String host, int port, int connections, Consumer<String> problems) {
        this.bootstrap = Connections.bootstrap(group, new HttpClientInitializer());
        this.host = host;
        this.port = port;
        this.connections = connections;
        this.problems = problems;
    }

    /**
     * Runs exchanges from {@code work} until it returns {@code null}; completes, never
     * exceptionally, when every lane has finished. {@code work} is called from several event
     * loops at once.
     */
    CompletableFuture<Void> run(Supplier<HttpExchange> work) {
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            CompletableFuture<Void> lane = new CompletableFuture<>();
            connect(work, lane);
            lanes.add(lane);
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new));
    }

    /** Starts no new exchange and closes every connection; exchanges in flight count under {@code cause}. */
    void stop(String cause) {
        if (stopCause == null) {
            stopCause = cause;
        }
        open.forEach(HttpConnection::close);
    }

    private void connect(Supplier<HttpExchange> work, CompletableFuture<Void> lane) {
        if (stopCause != null) {
            lane.complete(null);
            return;
        }
        HttpConnection.open(bootstrap, host, port).whenComplete((connection, failure) -> {
            if (failure != null) {
                problems.accept(Connections.connectFailure(failure));
                lane.complete(null);
                return;
            }
            // added before the stop check, so stop() and this lane cannot both miss it
            open.add(connection);
            next(connection, work, lane);
        });
    }

    private void next(HttpConnection connection, Supplier<HttpExchange> work, CompletableFuture<Void> lane) {
        HttpExchange exchange = stopCause == null ? work.get() : null;
        if (exchange == null) {
            finish(connection, lane);
            return;
        }
        connection.exchange(exchange.request()).whenComplete((reply, failure) -> {
            if (failure != null) {
                exchange.unanswered(stopCause != null ? stopCause : CONNECTION_CLOSED);
                finish(connection, lane);
            } else if (!exchange.replied(reply)) {
                stop("stopped after HTTP " + reply.status());
                finish(connection, lane);
            } else if (!reply.keepAlive()) {
                // the server closes this connection after the reply; carry on over a new one
                open.remove(connection);
                connection.close();
                connect(work, lane);
            } else {
                next(connection, work, lane);
            }
        });
    }

    private void finish(HttpConnection connection, CompletableFuture<Void> lane) {
        open.remove(connection);
        connection.close();
        lane.complete(null);
    }
}
