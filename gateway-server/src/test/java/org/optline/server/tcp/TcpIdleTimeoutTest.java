package org.optline.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.ErrorCode;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.TestBusinesses;
import org.optline.server.testing.TestTcpClient;

class TcpIdleTimeoutTest {
    @RegisterExtension
    static final GatewayExtension gateway =
            new GatewayExtension(b -> b.idleTimeout(Duration.ofMillis(300)), new InMemoryDeliveryQueues());

    @Test
    void aSilentConnectionIsToldAndClosed() {
        try (TestTcpClient client = gateway.tcp()) {
            client.authenticate(TestBusinesses.BANK_KEY);
            // The read blocks (bounded by the client's 10 s timeout) until the server gives up.
            assertThat(client.receive().getError().getCode()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }
}
