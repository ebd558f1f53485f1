package org.optline.server.flow;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Which failures of a connection are ordinary network life, not worth a warning: the channel was
 * already closed, or the peer reset the connection or went away mid-write. Any other I/O failure
 * (a handshake that failed, a file descriptor limit, a codec reporting a bug as an
 * {@link IOException}) is unexpected and logged (as Armeria's {@code Exceptions.isExpected}).
 */
public final class Disconnects {
    private Disconnects() {}

    /** True when {@code cause} only says that the peer is gone. */
    public static boolean isPeerGone(Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            return true;
        }
        if (!(cause instanceof IOException) || cause.getMessage() == null) {
            return false;
        }
        // The JDK and Netty's native transports report these only by their message (errno's text).
        String message = cause.getMessage().toLowerCase(Locale.ROOT);
        return message.contains("connection reset") || message.contains("broken pipe")
                || message.contains("connection aborted") || message.contains("connection timed out");
    }
}
