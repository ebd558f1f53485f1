package org.optline.server.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Certificates and a private key read from PEM text, and the check that they belong together.
 * The key must be unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC; other
 * forms are refused with the command that converts them.
 */
final class PemFiles {
    private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
    private static final String END_KEY = "-----END PRIVATE KEY-----";

    private PemFiles() {}

    /** Every certificate in the PEM text, in order (the node's first, then its chain). */
    static List<X509Certificate> certificates(byte[] pem, String what) throws GeneralSecurityException {
        List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem)).stream()
                .map(X509Certificate.class::cast).toList();
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException(what + " holds no PEM certificate");
        }
        return certificates;
    }

    static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf(BEGIN_KEY);
        int end = text.indexOf(END_KEY);
        if (begin < 0 || end < begin) {
            if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                    || text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
                throw new GeneralSecurityException("the private key must be unencrypted PKCS#8; convert it with"
                        + " openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
            }
            throw new GeneralSecurityException("no '" + BEGIN_KEY + "' block in the private key file");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN_KEY.length(), end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // Try the next algorithm: PKCS#8 names it inside, but KeyFactory wants it up front.
            }
        }
        throw new GeneralSecurityException("the private key is neither RSA, EC nor Ed25519");
    }

    /** Fails unless the key signs what the certificate's public key verifies: a pair that belongs together. */
    static void requireMatch(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        PublicKey publicKey = certificate.getPublicKey();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(challenge);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate");
        }
    }
}
