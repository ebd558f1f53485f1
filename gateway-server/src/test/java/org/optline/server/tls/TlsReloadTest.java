package org.optline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Ping;
import org.optline.proto.v1.ServerFrame;
import org.optline.server.config.TlsConfig;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestCertificates;

/**
 * A renewed certificate is taken into use without a restart: new connections get it within the
 * reload interval, open ones keep theirs; files that do not belong together are refused and the
 * previous certificate stays.
 */
class TlsReloadTest {
    static final TestCertificates CERTIFICATES = new TestCertificates(TlsEndToEndTest.tempDir("reload"));

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(b -> b.tls(new TlsConfig(false, true,
            CERTIFICATES.certificateChain(), CERTIFICATES.privateKey(), TlsConfig.ClientAuth.NONE, null,
            Duration.ofMillis(100), TlsConfig.Provider.AUTO, Duration.ofSeconds(10))), new InMemoryDeliveryQueues());

    private static SSLSocket connect() throws IOException {
        SSLContext context = CERTIFICATES.clientContext(null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway().tcpPort()), 5_000);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static String servedSubject() throws IOException {
        try (SSLSocket socket = connect()) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static double reloads(String outcome) {
        return gateway.gateway().context().registry().get("optline.tls.reloads").tag("outcome", outcome)
                .counter().count();
    }

    /** Not a timing assertion: the node gets many reload intervals to act. */
    private static String awaitSubject(String expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String subject = servedSubject();
        while (!subject.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            subject = servedSubject();
        }
        return subject;
    }

    @Test
    void aRenewedCertificateIsServedToNewConnectionsWhileOpenOnesCarryOn() throws Exception {
        assertThat(servedSubject()).isEqualTo("CN=localhost");
        try (SSLSocket open = connect()) {
            ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(TestBusinesses.BANK_KEY))
                    .build().writeDelimitedTo(open.getOutputStream());
            assertThat(ServerFrame.parseDelimitedFrom(open.getInputStream()).hasAuthenticated()).isTrue();

            CERTIFICATES.writeNodeFiles(CERTIFICATES.server("CN=renewed"));
            assertThat(awaitSubject("CN=renewed")).isEqualTo("CN=renewed");

            ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(9)).build()
                    .writeDelimitedTo(open.getOutputStream());
            assertThat(ServerFrame.parseDelimitedFrom(open.getInputStream()).getPong().getNonce()).isEqualTo(9);
        }

        // A key that does not belong to the certificate: refused, counted, and the renewed one stays.
        double failures = reloads("failure");
        CERTIFICATES.writeMismatchedKey();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (reloads("failure") == failures && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(reloads("failure")).isEqualTo(failures + 1);
        assertThat(servedSubject()).isEqualTo("CN=renewed");

        CERTIFICATES.writeNodeFiles(CERTIFICATES.server("CN=fixed"));
        assertThat(awaitSubject("CN=fixed")).isEqualTo("CN=fixed");
    }
}
