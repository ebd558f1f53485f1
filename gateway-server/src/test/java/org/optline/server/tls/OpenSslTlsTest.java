package org.optline.server.tls;

import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.server.config.TlsConfig;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.TestCertificates;

/** TLS end to end with BoringSSL (netty-tcnative), the default where it loads. */
class OpenSslTlsTest extends TlsEndToEndTest {
    static final TestCertificates CERTIFICATES = new TestCertificates(tempDir("openssl-tls"));
    static final X509Bundle A = CERTIFICATES.client("CN=bank-a");

    @RegisterExtension
    static final GatewayExtension gateway = gatewayWith(TlsConfig.Provider.OPENSSL, CERTIFICATES, A);

    @Override
    GatewayExtension gateway() {
        return gateway;
    }

    @Override
    TestCertificates certificates() {
        return CERTIFICATES;
    }

    @Override
    X509Bundle certificateA() {
        return A;
    }
}
