package org.optline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ServerFrame;
import org.optline.server.config.TlsConfig;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestCertificates;

/** tls.client-auth=require: a client without a trusted certificate is refused at the handshake. */
class MutualTlsRequiredTest {
    static final TestCertificates CERTIFICATES = new TestCertificates(TlsEndToEndTest.tempDir("mtls"));
    static final X509Bundle CLIENT = CERTIFICATES.client("CN=any-bank");

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(b -> b.tls(new TlsConfig(false, true,
            CERTIFICATES.certificateChain(), CERTIFICATES.privateKey(), TlsConfig.ClientAuth.REQUIRE,
            CERTIFICATES.trustedAuthorities(), Duration.ofMinutes(1), TlsConfig.Provider.AUTO, Duration.ofSeconds(10))),
            new InMemoryDeliveryQueues());

    private static ServerFrame authenticate(SSLContext context) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway().tcpPort()), 5_000);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(TestBusinesses.BANK_KEY))
                    .build().writeDelimitedTo(out);
            out.flush();
            return ServerFrame.parseDelimitedFrom(socket.getInputStream());
        }
    }

    private static double handshakeFailures() {
        return gateway.gateway().context().registry().get("optline.tls.handshake.failures")
                .tag("listener", "tcp").counter().count();
    }

    @Test
    void aClientWithATrustedCertificateIsServed() throws IOException {
        assertThat(authenticate(CERTIFICATES.clientContext(CLIENT)).hasAuthenticated()).isTrue();
    }

    @Test
    void aClientWithoutACertificateIsRefusedAtTheHandshakeAndNeverReadsAFrame() throws Exception {
        double before = handshakeFailures();
        // With TLS 1.3 the client learns of the refusal on its first read: a fatal alert, not a frame.
        assertThatThrownBy(() -> authenticate(CERTIFICATES.clientContext(null))).isInstanceOf(IOException.class);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (handshakeFailures() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(handshakeFailures()).isEqualTo(before + 1);
    }

    @Test
    void aClientWithACertificateFromAnotherAuthorityIsRefusedAtTheHandshake() {
        assertThatThrownBy(() -> authenticate(CERTIFICATES.clientContext(CERTIFICATES.strangersClient())))
                .isInstanceOf(IOException.class);
    }
}
