package org.optline.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** A peer that went away is ordinary; other I/O failures are not. */
class DisconnectsTest {
    @Test
    void aClosedChannelAResetOrABrokenPipeIsThePeerGone() {
        assertThat(Disconnects.isPeerGone(new ClosedChannelException())).isTrue();
        assertThat(Disconnects.isPeerGone(new IOException("Connection reset by peer"))).isTrue();
        assertThat(Disconnects.isPeerGone(new IOException("writev(..) failed: Broken pipe"))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(Disconnects.isPeerGone(new SSLHandshakeException("no cipher suites in common"))).isFalse();
        assertThat(Disconnects.isPeerGone(new IOException("Too many open files"))).isFalse();
        assertThat(Disconnects.isPeerGone(new IOException())).isFalse();
        assertThat(Disconnects.isPeerGone(new IllegalStateException("a bug"))).isFalse();
    }
}
