package org.optline.server.wire;

/**
 * A request whose fields cannot become a domain value: a required field missing, a number that
 * is not a number. Carries the reason code to answer with and a detail that never quotes the
 * caller's input, so no number or key is echoed back.
 */
public final class Malformed extends Exception {
    private final String reason;

    public Malformed(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    /** A required or invalid field of the body. */
    public static Malformed field(String detail) {
        return new Malformed("INVALID_BODY", detail);
    }

    /** The reason code: INVALID_BODY or INVALID_RECIPIENT. */
    public String reason() {
        return reason;
    }
}
