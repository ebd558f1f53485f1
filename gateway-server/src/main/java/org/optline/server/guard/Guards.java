package org.optline.server.guard;

/**
 * The node-wide state of the guards that protect it from its clients, shared by the listeners.
 *
 * @param tcpUnauthenticated the memory all TCP connections not yet authenticated may hold together
 * @param metrics what the guards did
 * @param unexpected where bugs and unexpected failures are reported, one rate-limited line each
 */
public record Guards(UnauthenticatedBytes tcpUnauthenticated, GuardMetrics metrics, UnexpectedErrors unexpected) {
    /** Guards with generous bounds and unregistered metrics, for tests of one handler. */
    public static Guards forTests() {
        return new Guards(new UnauthenticatedBytes(Long.MAX_VALUE / 2), GuardMetrics.unregistered(),
                new UnexpectedErrors());
    }
}
