package org.optline.server.testing;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.optline.server.guard.Origins;

/**
 * Certificates made for a test run, never checked in: a test authority, the node's certificate
 * (for 127.0.0.1 and localhost) issued by it, client certificates issued by it, and one client
 * certificate from an authority the node does not trust. PEM files of them are written to a
 * directory for the node's configuration; SSL contexts of them are made for the test clients.
 */
public final class TestCertificates {
    private final X509Bundle authority;
    private final X509Bundle strangerAuthority;
    private final Path dir;

    public TestCertificates(Path dir) {
        this.dir = dir;
        try {
            authority = new CertificateBuilder().subject("CN=Optline Test CA").setIsCertificateAuthority(true)
                    .ecp256().buildSelfSigned();
            strangerAuthority = new CertificateBuilder().subject("CN=Someone Else's CA")
                    .setIsCertificateAuthority(true).ecp256().buildSelfSigned();
            Files.createDirectories(dir);
            writeNodeFiles(server("CN=localhost"));
            Files.writeString(trustedAuthorities(), authority.getCertificatePEM(), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test certificates", e);
        }
    }

    /** A node certificate with this subject, for 127.0.0.1 and localhost, issued by the test authority. */
    public X509Bundle server(String subject) throws Exception {
        return new CertificateBuilder().subject(subject).addSanIpAddress("127.0.0.1").addSanDnsName("localhost")
                .notBefore(Instant.now().minus(Duration.ofHours(1))).notAfter(Instant.now().plus(Duration.ofDays(30)))
                .ecp256().addExtendedKeyUsageServerAuth().buildIssuedBy(authority);
    }

    /** A client certificate with this subject, issued by the test authority. */
    public X509Bundle client(String subject) {
        try {
            return new CertificateBuilder().subject(subject).ecp256().addExtendedKeyUsageClientAuth()
                    .buildIssuedBy(authority);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client certificate from an authority the node does not trust. */
    public X509Bundle strangersClient() {
        try {
            return new CertificateBuilder().subject("CN=stranger").ecp256().addExtendedKeyUsageClientAuth()
                    .buildIssuedBy(strangerAuthority);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Replaces the node's files, each by an atomic rename as an operator's tooling would, so that
     * the node never reads half a file.
     */
    public void writeNodeFiles(X509Bundle server) throws IOException {
        replace(certificateChain(), server.getCertificatePathPEM());
        replace(privateKey(), server.getPrivateKeyPEM());
    }

    /** A private key that belongs to no certificate here. */
    public void writeMismatchedKey() throws Exception {
        replace(privateKey(), server("CN=other").getPrivateKeyPEM());
    }

    private void replace(Path file, String pem) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, pem, StandardCharsets.US_ASCII);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public Path certificateChain() {
        return dir.resolve("node-chain.pem");
    }

    public Path privateKey() {
        return dir.resolve("node-key.pem");
    }

    public Path trustedAuthorities() {
        return dir.resolve("client-authorities.pem");
    }

    /** A client context that trusts the test authority and shows {@code certificate} (null: none). */
    public SSLContext clientContext(X509Bundle certificate, String... protocols) {
        try {
            SSLContext context = SSLContext.getInstance(protocols.length == 1 ? protocols[0] : "TLS");
            KeyManagerFactory keys = null;
            if (certificate != null) {
                keys = certificate.toKeyManagerFactory();
            }
            context.init(keys == null ? null : keys.getKeyManagers(),
                    authority.toTrustManagerFactory().getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fingerprint the configuration binds a business to. */
    public static String fingerprint(X509Bundle certificate) {
        try {
            return Origins.sha256(certificate.getCertificate().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
