package org.optline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.pkitesting.X509Bundle;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.KeyRestrictions;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.ServerFrame;
import org.optline.server.config.TlsConfig;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.RawHttp;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestCertificates;

/**
 * TLS on both listeners, end to end over loopback with certificates made for the run: a TLS
 * client is served, a plaintext one is not, TLS 1.2 still works, and a business bound to client
 * certificate A is refused with certificate B or none. Client certificates are optional here
 * (the business binding decides); {@link MutualTlsRequiredTest} requires them. Run once with
 * each provider.
 */
abstract class TlsEndToEndTest {
    static final String BOUND_KEY = "olk_bound_to_certificate_a";

    abstract GatewayExtension gateway();

    abstract TestCertificates certificates();

    abstract X509Bundle certificateA();

    /** A gateway with TLS on both listeners, optional client certificates, and a business bound to {@code a}. */
    static GatewayExtension gatewayWith(TlsConfig.Provider provider, TestCertificates certificates, X509Bundle a) {
        return new GatewayExtension(b -> b
                .tls(new TlsConfig(true, true, certificates.certificateChain(), certificates.privateKey(),
                        TlsConfig.ClientAuth.OPTIONAL, certificates.trustedAuthorities(), Duration.ofMinutes(1),
                        provider, Duration.ofSeconds(10)))
                .business(new Business("bound-bank", List.of(Credential.ofSecret(BOUND_KEY)), 100, Tier.UNLIMITED,
                        Quality.GREEN, Map.of(), new KeyRestrictions(Set.of(), List.of(),
                        Set.of(TestCertificates.fingerprint(a)), null))),
                new InMemoryDeliveryQueues());
    }

    /** A directory for a test class's certificates, used by its static gateway until the JVM ends: removed then. */
    static Path tempDir(String name) {
        try {
            Path dir = Files.createTempDirectory("optline-" + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                } catch (IOException e) {
                    // Left in the temporary directory: the machine's own clean-up takes it.
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> https(SSLContext context, String path, String key) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + gateway().gateway().httpPort() + path)).timeout(Duration.ofSeconds(10));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    ServerFrame authenticateOverTls(SSLContext context, String key) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway().gateway().tcpPort()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(key)).build()
                    .writeDelimitedTo(out);
            out.flush();
            return ServerFrame.parseDelimitedFrom(socket.getInputStream());
        }
    }

    double handshakeFailures(String listener) {
        return gateway().gateway().context().registry().get("optline.tls.handshake.failures")
                .tag("listener", listener).counter().count();
    }

    @Test
    void aTlsClientIsServedOnBothListenersWithTls13() throws Exception {
        SSLContext context = certificates().clientContext(null);
        HttpResponse<String> response = https(context, "/health/live", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));

        ServerFrame answer = authenticateOverTls(context, TestBusinesses.BANK_KEY);
        assertThat(answer.getAuthenticated().getBusinessId()).isEqualTo(TestBusinesses.BANK);
    }

    @Test
    void aTls12ClientIsServedToo() throws Exception {
        SSLContext tls12 = certificates().clientContext(null, "TLSv1.2");
        HttpResponse<String> response = https(tls12, "/health/live", null);
        assertThat(response.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.2"));
        assertThat(authenticateOverTls(tls12, TestBusinesses.BANK_KEY).hasAuthenticated()).isTrue();
    }

    @Test
    void aPlaintextClientIsRefusedOnBothListeners() throws Exception {
        double httpFailures = handshakeFailures("http");
        try (RawHttp plain = RawHttp.connect(gateway().gateway().httpPort())) {
            plain.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(plain.isClosedByServer()).isTrue();
        }
        try (java.net.Socket plain = new java.net.Socket("127.0.0.1", gateway().gateway().tcpPort())) {
            plain.setSoTimeout(10_000);
            ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(TestBusinesses.BANK_KEY))
                    .build().writeDelimitedTo(plain.getOutputStream());
            int first;
            try {
                first = plain.getInputStream().read();
            } catch (IOException reset) {
                first = -1;
            }
            assertThat(first).as("no frame, the connection closed").isEqualTo(-1);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (handshakeFailures("http") == httpFailures && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(handshakeFailures("http")).isGreaterThan(httpFailures);
    }

    @Test
    void aBusinessBoundToCertificateAIsServedWithAAndRefusedWithBOrNone() throws Exception {
        X509Bundle b = certificates().client("CN=bank-b");
        SSLContext withA = certificates().clientContext(certificateA());
        SSLContext withB = certificates().clientContext(b);
        SSLContext without = certificates().clientContext(null);

        assertThat(authenticateOverTls(withA, BOUND_KEY).getAuthenticated().getBusinessId()).isEqualTo("bound-bank");
        assertThat(authenticateOverTls(withB, BOUND_KEY).getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(authenticateOverTls(without, BOUND_KEY).getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);

        String status = "/v1/messages/01a20e9d-7e76-74d6-a871-e947c2ad3052";
        assertThat(https(withA, status, BOUND_KEY).statusCode()).as("served: its message is unknown").isEqualTo(404);
        assertThat(https(withB, status, BOUND_KEY).statusCode()).isEqualTo(401);
        assertThat(https(without, status, BOUND_KEY).statusCode()).isEqualTo(401);
    }

    @Test
    void aCertificateFromAnUntrustedAuthorityIsNoCertificateAtAll() throws Exception {
        // The node names the authorities it trusts; a client holding only a stranger's certificate
        // shows none, which optional client authentication allows, and no binding accepts.
        SSLContext stranger = certificates().clientContext(certificates().strangersClient());
        assertThat(authenticateOverTls(stranger, TestBusinesses.BANK_KEY).hasAuthenticated()).isTrue();
        assertThat(authenticateOverTls(stranger, BOUND_KEY).getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }
}
