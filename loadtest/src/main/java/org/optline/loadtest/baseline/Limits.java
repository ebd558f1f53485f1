package org.optline.loadtest.baseline;

/**
 * The limits the baseline enforces and advertises: each is the gateway's default, so that a
 * client meets the same frames, bodies, batches and windows on either server.
 */
final class Limits {
    /** The gateway's {@code tcp.max-frame-size}: a longer frame is refused before it is buffered. */
    static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;
    /** The gateway's {@code http.max-body-size}: a longer body is answered 413. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** The gateway's {@code http.max-initial-line-length}. */
    static final int MAX_INITIAL_LINE_BYTES = 4 * 1024;
    /** The gateway's {@code http.max-header-size}. */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /** The gateway's admission batch limit, advertised in Authenticated.max_batch_size. */
    static final int MAX_BATCH_SIZE = 1_000;
    /**
     * The gateway's {@code tcp.max-in-flight}, advertised in Authenticated.max_in_flight so that a
     * client keeps the same window; the baseline answers at once, so it never has to pause for it.
     */
    static final int MAX_IN_FLIGHT = 256;

    private Limits() {}
}
