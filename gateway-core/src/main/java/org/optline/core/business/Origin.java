package org.optline.core.business;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a key is presented: the listener (by name, {@code http} or {@code tcp}), the client's
 * address, and the certificate the client showed on a mutual-TLS connection. A key may be
 * restricted to some origins.
 *
 * @param listener the listener's name, lower case
 * @param address the client's address; null when not known (tests of one handler)
 * @param certificate the client's verified certificate; null without mutual TLS
 */
public record Origin(String listener, InetAddress address, ClientCertificate certificate) {
    public Origin {
        listener = listener.toLowerCase(Locale.ROOT);
    }

    /** An origin that no restriction matches but the absence of restrictions: for tests of one handler. */
    public static Origin unknown(String listener) {
        return new Origin(listener, null, null);
    }

    public Optional<ClientCertificate> clientCertificate() {
        return Optional.ofNullable(certificate);
    }

    /**
     * The client's certificate, verified by the TLS handshake against the configured trust.
     *
     * @param sha256 the lower-case hex SHA-256 of its DER encoding (its fingerprint)
     * @param subject its subject as an RFC 2253 distinguished name ({@code CN=acme-bank,O=Acme})
     */
    public record ClientCertificate(String sha256, String subject) {}
}
