package org.optline.server.guard;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;

/**
 * The node-wide state of the guards that protect it from its clients, shared by the listeners.
 *
 * @param tcpUnauthenticated the memory all TCP connections not yet authenticated may hold together
 * @param connections each listener's connection caps
 * @param authenticationFailures failed authentications per client address, both listeners together
 * @param metrics what the guards did
 * @param unexpected where bugs and unexpected failures are reported, one rate-limited line each
 */
public record Guards(UnauthenticatedBytes tcpUnauthenticated, Map<Listener, ConnectionLimits> connections,
                     AuthenticationFailures authenticationFailures, GuardMetrics metrics, UnexpectedErrors unexpected) {
    public Guards {
        connections = Map.copyOf(connections);
    }

    /** Guards with generous bounds and unregistered metrics, for a handler used on its own (its tests). */
    public static Guards standalone() {
        GuardMetrics metrics = GuardMetrics.unregistered();
        return new Guards(new UnauthenticatedBytes(Long.MAX_VALUE / 2),
                Map.of(Listener.HTTP, new ConnectionLimits(Listener.HTTP, Integer.MAX_VALUE, Integer.MAX_VALUE, metrics),
                        Listener.TCP, new ConnectionLimits(Listener.TCP, Integer.MAX_VALUE, Integer.MAX_VALUE, metrics)),
                new AuthenticationFailures(Integer.MAX_VALUE, Duration.ofMinutes(1), 1_000, InstantSource.system(),
                        metrics),
                metrics, new UnexpectedErrors());
    }

    public ConnectionLimits connections(Listener listener) {
        return connections.get(listener);
    }
}
