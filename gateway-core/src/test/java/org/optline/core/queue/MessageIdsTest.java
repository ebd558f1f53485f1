package org.optline.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.optline.core.testing.MutableClock;

class MessageIdsTest {
    private final MutableClock clock = new MutableClock();
    private final MessageIds ids = new MessageIds(clock);

    @Test
    void idIsAUuidVersion7WithTheRfcVariant() {
        UUID id = UUID.fromString(ids.next());

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.toString().charAt(14)).isEqualTo('7');
    }

    @Test
    void first48BitsAreTheClockMillis() {
        UUID id = UUID.fromString(ids.next());

        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(clock.millis());
    }

    @Test
    void idsAreTimeOrderedAcrossMilliseconds() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            made.add(ids.next());
            clock.advance(Duration.ofMillis(1));
        }

        assertThat(made).isSorted();
    }

    @Test
    void idsInTheSameMillisecondAreUnique() {
        HashSet<String> made = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.next());
        }

        assertThat(made).hasSize(10_000);
    }
}
