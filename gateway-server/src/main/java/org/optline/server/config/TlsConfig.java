package org.optline.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS on the listeners: off on both by default (a fresh node listens on loopback only), TLS 1.3
 * and 1.2 when on, the certificate and key read from PEM files and read again when they change.
 *
 * @param http TLS on the HTTP listener
 * @param tcp TLS on the TCP listener
 * @param certificate the PEM file of the node's certificate, then its chain
 * @param privateKey the PEM file of the certificate's private key, unencrypted PKCS#8
 * @param clientAuth whether clients must show a certificate (mutual TLS)
 * @param trustedCertificates the PEM file of the authorities client certificates are verified against
 * @param reloadInterval how often the files are looked at for a change
 * @param provider which TLS implementation
 * @param handshakeTimeout how long a client has to finish its handshake
 */
public record TlsConfig(boolean http, boolean tcp, Path certificate, Path privateKey, ClientAuth clientAuth,
                        Path trustedCertificates, Duration reloadInterval, Provider provider,
                        Duration handshakeTimeout) {
    /** Often enough that a renewed certificate is in use within a minute; reading two small files costs nothing. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(30);
    /** A handshake takes a few round trips; 10 s allows a slow network and bounds an idle one. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final TlsConfig OFF = new TlsConfig(false, false, null, null, ClientAuth.NONE, null,
            DEFAULT_RELOAD_INTERVAL, Provider.AUTO, DEFAULT_HANDSHAKE_TIMEOUT);

    /** Whether clients show a certificate. */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** Asked for, verified when shown; a business bound to a certificate needs one. */
        OPTIONAL,
        /** Required: a client without a trusted certificate fails the handshake. */
        REQUIRE
    }

    /** The TLS implementation. */
    public enum Provider {
        /** BoringSSL when its native library loads on this platform, else the JDK's. */
        AUTO,
        JDK,
        /** BoringSSL (netty-tcnative); the start fails where it does not load. */
        OPENSSL
    }

    public boolean enabled() {
        return http || tcp;
    }
}
