package org.optline.core.business;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/**
 * Where a business's keys are accepted: on which listeners, from which client addresses, and
 * with which client certificate (mutual TLS). Each is optional; empty means anywhere. A valid key
 * presented elsewhere is refused as if it were wrong, so a stolen key is of no use outside.
 *
 * @param listeners listener names ({@code http}, {@code tcp}); empty for both
 * @param sources address blocks the client must come from; empty for any
 * @param certificateSha256 fingerprints (lower-case hex SHA-256 of the DER) of which the client
 *                          must show one; empty, with no subject, for no certificate needed
 * @param certificateSubject the subject (RFC 2253) the client certificate must have instead; null for none
 */
public record KeyRestrictions(Set<String> listeners, List<AddressRange> sources, Set<String> certificateSha256,
                              String certificateSubject) {
    public static final KeyRestrictions NONE = new KeyRestrictions(Set.of(), List.of(), Set.of(), null);

    public KeyRestrictions {
        listeners = listeners.stream().map(l -> l.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        sources = List.copyOf(sources);
        certificateSha256 = certificateSha256.stream().map(KeyRestrictions::fingerprint)
                .collect(Collectors.toUnmodifiableSet());
        if (certificateSubject != null) {
            // The form the TLS side reads a certificate's subject in, so that spacing cannot matter.
            certificateSubject = new X500Principal(certificateSubject).getName(X500Principal.RFC2253);
        }
    }

    /** A fingerprint as configured ({@code AB:CD:…} or {@code abcd…}) in the form compared. */
    public static String fingerprint(String value) {
        return value.replace(":", "").trim().toLowerCase(Locale.ROOT);
    }

    /** True when a client certificate is required. */
    public boolean needsCertificate() {
        return !certificateSha256.isEmpty() || certificateSubject != null;
    }

    /** True when a key with these restrictions may be used from this origin. */
    public boolean allow(Origin origin) {
        if (!listeners.isEmpty() && !listeners.contains(origin.listener())) {
            return false;
        }
        if (!sources.isEmpty() && sources.stream().noneMatch(range -> range.contains(origin.address()))) {
            return false;
        }
        if (needsCertificate()) {
            Origin.ClientCertificate certificate = origin.certificate();
            return certificate != null && (certificateSha256.contains(certificate.sha256())
                    || certificate.subject().equals(certificateSubject));
        }
        return true;
    }
}
