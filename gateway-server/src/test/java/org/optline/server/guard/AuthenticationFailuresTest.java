package org.optline.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.optline.core.testing.MutableClock;

class AuthenticationFailuresTest {
    private final MutableClock clock = new MutableClock();
    private final AuthenticationFailures failures = new AuthenticationFailures(3, Duration.ofMinutes(1), 100, clock,
            GuardMetrics.unregistered());

    private static InetAddress address(int i) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i});
    }

    @Test
    void anAddressIsBlockedAfterItsFailuresUntilTheWindowPassesSinceTheLastOne() throws Exception {
        InetAddress guesser = address(1);
        failures.failed(guesser, Listener.HTTP);
        failures.failed(guesser, Listener.TCP);
        assertThat(failures.isBlocked(guesser)).as("two failures of three").isFalse();

        clock.advance(Duration.ofSeconds(30));
        failures.failed(guesser, Listener.HTTP);
        assertThat(failures.blocked(guesser, Listener.HTTP)).isEqualTo(Duration.ofMinutes(1));
        assertThat(failures.isBlocked(address(2))).as("another address").isFalse();

        clock.advance(Duration.ofSeconds(59));
        assertThat(failures.blocked(guesser, Listener.HTTP)).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(failures.isBlocked(guesser)).isFalse();

        failures.failed(guesser, Listener.HTTP);
        assertThat(failures.isBlocked(guesser)).as("a new window starts from nothing").isFalse();
    }

    @Test
    void onlySoManyAddressesAreRemembered() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            failures.failed(address(i), Listener.TCP);
        }
        assertThat(failures.trackedAddresses()).isLessThanOrEqualTo(100);
    }
}
