package org.optline.server.tls;

import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.server.config.TlsConfig;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.TestCertificates;

/** TLS end to end with the JDK's provider. */
class JdkTlsTest extends TlsEndToEndTest {
    static final TestCertificates CERTIFICATES = new TestCertificates(tempDir("jdk-tls"));
    static final X509Bundle A = CERTIFICATES.client("CN=bank-a");

    @RegisterExtension
    static final GatewayExtension gateway = gatewayWith(TlsConfig.Provider.JDK, CERTIFICATES, A);

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
