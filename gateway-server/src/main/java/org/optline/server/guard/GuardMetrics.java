package org.optline.server.guard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the guards did, as Micrometer counters with bounded tags (listener, reason): connections
 * refused at a cap, connections the node closed on its own initiative, failed and blocked
 * authentications, failed TLS handshakes. Every counter exists from the start, at zero, so
 * that an alert on it can be written before it first moves.
 */
public final class GuardMetrics {
    /** Why a new connection was refused before anything was read from it. */
    public enum Refusal {
        /** The listener holds {@code <listener>.max-connections} already. */
        LISTENER_LIMIT,
        /** The client's address holds {@code <listener>.max-connections-per-address} already. */
        ADDRESS_LIMIT
    }

    /** Why the node closed a connection that a client kept open. */
    public enum Closure {
        /** Connections not yet authenticated held more than their shared memory budget. */
        UNAUTHENTICATED_MEMORY,
        /** No successful authentication within the authentication timeout. */
        AUTHENTICATION_TIMEOUT,
        /** The client stopped reading: its answers made no progress for the write timeout. */
        WRITE_STALLED
    }

    private final Map<Listener, Map<Refusal, Counter>> refused = new EnumMap<>(Listener.class);
    private final Map<Listener, Map<Closure, Counter>> closed = new EnumMap<>(Listener.class);
    private final Map<Listener, Counter> authenticationFailures = new EnumMap<>(Listener.class);
    private final Map<Listener, Counter> authenticationBlocked = new EnumMap<>(Listener.class);
    private final Map<Listener, Counter> handshakeFailures = new EnumMap<>(Listener.class);

    public GuardMetrics(MeterRegistry registry) {
        for (Listener listener : Listener.values()) {
            Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);
            for (Refusal reason : Refusal.values()) {
                refusals.put(reason, Counter.builder("optline.connections.refused")
                        .description("New connections refused at a connection cap")
                        .tag("listener", listener.tag()).tag("reason", tag(reason)).register(registry));
            }
            refused.put(listener, refusals);
            Map<Closure, Counter> closures = new EnumMap<>(Closure.class);
            for (Closure reason : Closure.values()) {
                closures.put(reason, Counter.builder("optline.connections.closed")
                        .description("Connections the node closed because of how the client behaved")
                        .tag("listener", listener.tag()).tag("reason", tag(reason)).register(registry));
            }
            closed.put(listener, closures);
            authenticationFailures.put(listener, Counter.builder("optline.authentication.failures")
                    .description("Requests or connections that presented a key that is not valid there")
                    .tag("listener", listener.tag()).register(registry));
            authenticationBlocked.put(listener, Counter.builder("optline.authentication.blocked")
                    .description("Authentications refused unchecked: too many failures from the address")
                    .tag("listener", listener.tag()).register(registry));
            handshakeFailures.put(listener, Counter.builder("optline.tls.handshake.failures")
                    .description("TLS handshakes that failed: no certificate, an untrusted one, plaintext, an old protocol")
                    .tag("listener", listener.tag()).register(registry));
        }
    }

    /** Counters in a registry of their own, for tests and embedders that do not look at them. */
    public static GuardMetrics unregistered() {
        return new GuardMetrics(new SimpleMeterRegistry());
    }

    public void refused(Listener listener, Refusal reason) {
        refused.get(listener).get(reason).increment();
    }

    public void closed(Listener listener, Closure reason) {
        closed.get(listener).get(reason).increment();
    }

    public void authenticationFailed(Listener listener) {
        authenticationFailures.get(listener).increment();
    }

    public void authenticationBlocked(Listener listener) {
        authenticationBlocked.get(listener).increment();
    }

    public void handshakeFailed(Listener listener) {
        handshakeFailures.get(listener).increment();
    }

    private static String tag(Enum<?> reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
