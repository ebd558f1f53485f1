package org.optline.core.queue;

import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes message ids: UUIDv7 (RFC 9562), whose first 48 bits are the Unix time in milliseconds,
 * so ids sort by acceptance time. The rest is random; ids are not secrets (a business can only
 * read its own messages), they only need to be unique.
 */
public final class MessageIds {
    private final InstantSource clock;

    public MessageIds(InstantSource clock) {
        this.clock = clock;
    }

    public String next() {
        long millis = clock.millis();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
