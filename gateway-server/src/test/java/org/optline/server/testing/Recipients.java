package org.optline.server.testing;

import java.util.concurrent.atomic.AtomicInteger;

/** Distinct valid recipients (UK mobile numbers), so that tests sharing a gateway never meet. */
public final class Recipients {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Recipients() {}

    public static String next() {
        return String.format("+4479111%05d", NEXT.incrementAndGet());
    }
}
