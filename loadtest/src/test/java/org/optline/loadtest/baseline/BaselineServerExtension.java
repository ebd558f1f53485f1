package org.optline.loadtest.baseline;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts one baseline server on loopback, any free ports, for a test class, and closes it after. */
final class BaselineServerExtension implements BeforeAllCallback, AfterAllCallback {
    static final String HOST = "127.0.0.1";

    private BaselineServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = BaselineServer.start(HOST, 0, 0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    int tcpPort() {
        return server.tcpPort();
    }

    int httpPort() {
        return server.httpPort();
    }
}
