package org.optline.loadtest;

import java.util.regex.Pattern;

/**
 * The gateway a command talks to, and as whom.
 *
 * @param apiKey the business's key, for sending; may be {@code null} for commands that only
 *     use the consent API
 * @param platformKey the platform's key, for the consent and inbox APIs; may be {@code null}
 *     for commands that only send
 */
record Target(String host, int tcpPort, int httpPort, String apiKey, String platformKey, String businessId) {
    /** A gateway on the same machine: the usual first run. */
    static final String DEFAULT_HOST = "127.0.0.1";
    /** The gateway's default binary listener. */
    static final int DEFAULT_TCP_PORT = 9090;
    /** The gateway's default HTTP listener. */
    static final int DEFAULT_HTTP_PORT = 8080;
    /** The business of the gateway's demo configuration. */
    static final String DEFAULT_BUSINESS = "demo-bank";

    /** SPEC section 2: a business id is a slug. */
    private static final Pattern BUSINESS_ID = Pattern.compile("[a-z0-9-]{3,64}");

    /** Checks every field; the message names the option to fix. */
    Target {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        Settings.checkRange("--tcp-port", tcpPort, 1, 65_535);
        Settings.checkRange("--http-port", httpPort, 1, 65_535);
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("--key must not be empty");
        }
        if (platformKey != null && platformKey.isBlank()) {
            throw new IllegalArgumentException("--platform-key must not be empty");
        }
        if (businessId == null || !BUSINESS_ID.matcher(businessId).matches()) {
            throw new IllegalArgumentException("--business must be a slug [a-z0-9-]{3,64}");
        }
    }

    /** The port of {@code protocol}'s listener. */
    int port(Protocol protocol) {
        return protocol == Protocol.TCP ? tcpPort : httpPort;
    }

    /** Leaves the keys out: they are secrets and must not reach a terminal log. */
    @Override
    public String toString() {
        return "Target[" + host + " tcp " + tcpPort + " http " + httpPort + " as " + businessId + "]";
    }
}
