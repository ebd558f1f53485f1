package org.optline.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.proto.v1.MessageStatus;
import org.optline.proto.v1.PushFrame;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * The push channel end to end over a real WebSocket (the JDK's client): messages pushed as they are
 * accepted, acknowledged one by one, and a dropped connection resumed with exactly what was not
 * acknowledged.
 */
class PushTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(config -> config
            .deliveryTick(Duration.ofMillis(20)).push(3, Duration.ofSeconds(30)));

    private final TestHttp http = gateway.http();
    private final DeliveryApi api = new DeliveryApi(http);

    private String optedIn() {
        String recipient = Recipients.next();
        http.optIn(recipient, BANK, "TRANSACTIONAL_CLASS");
        return recipient;
    }

    @Test
    void messagesArePushedAsAcceptedAndAResumedSubscriptionGetsExactlyWhatWasNotAcknowledged() {
        String recipient = optedIn();
        List<String> accepted = new ArrayList<>();
        try (PushClient app = PushClient.connect(gateway.gateway().httpPort(), recipient, PLATFORM_KEY)) {
            PushFrame hello = app.next();
            assertThat(hello.getSubscribed().getWindow()).isEqualTo(3);

            for (int i = 1; i <= 2; i++) {
                accepted.add(api.accepted(BANK_KEY, "push-" + i + "-" + recipient, recipient, "TRANSACTIONAL",
                        "Your parcel " + i + " is out for delivery"));
                assertThat(app.nextMessageId()).isEqualTo(accepted.get(i - 1));
            }
            app.acknowledge("c1", List.of(accepted.get(0)));
            PushFrame reported = app.next();
            assertThat(reported.getReported().getCommandId()).isEqualTo("c1");
            assertThat(reported.getReported().getChanged()).isEqualTo(1);
            assertThat(api.status(BANK_KEY, accepted.get(0)).getState()).isEqualTo(MessageStatus.State.DELIVERED);

            // The phone loses its network before acknowledging the second.
            app.drop();
        }
        DeliveryApi.eventually("the dropped subscription gave its messages back",
                () -> gateway.gateway().context().inbox().subscriptions() == 0);
        accepted.add(api.accepted(BANK_KEY, "push-3-" + recipient, recipient, "TRANSACTIONAL", "Your parcel 3 is out"));

        try (PushClient app = PushClient.connect(gateway.gateway().httpPort(), recipient, PLATFORM_KEY)) {
            app.next();
            assertThat(List.of(app.nextMessageId(), app.nextMessageId()))
                    .as("the unacknowledged second and the third; never the acknowledged first")
                    .containsExactly(accepted.get(1), accepted.get(2));
            app.acknowledge("c2", List.of(accepted.get(1), accepted.get(2)));
            assertThat(app.next().getReported().getChanged()).isEqualTo(2);
            assertThat(api.pull(recipient, "")).isEmpty();
        }
    }

    /**
     * Over the wire: an acknowledgement makes room for what waited. That nothing beyond the window
     * is pushed before it is shown without waiting for an absence, in InboxSubscriptionTest and
     * PushSubscriptionHandlerTest.
     */
    @Test
    void anAcknowledgementMakesRoomInAFullWindow() {
        String recipient = optedIn();
        List<String> accepted = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            accepted.add(api.accepted(BANK_KEY, "window-" + i + "-" + recipient, recipient, "TRANSACTIONAL",
                    "Your balance is " + i + " EUR"));
        }
        try (PushClient app = PushClient.connect(gateway.gateway().httpPort(), recipient, PLATFORM_KEY)) {
            app.next();
            assertThat(List.of(app.nextMessageId(), app.nextMessageId(), app.nextMessageId()))
                    .containsExactlyElementsOf(accepted.subList(0, 3));

            app.acknowledge("c", List.of(accepted.get(0)));
            List<PushFrame> next = List.of(app.next(), app.next());
            assertThat(next).anySatisfy(frame -> assertThat(frame.getMessage().getMessageId()).isEqualTo(accepted.get(3)));
        }
    }

    @Test
    void aPushedMessageWhoseLeaseRunsOutUnacknowledgedIsPushedAgain() {
        String recipient = optedIn();
        try (PushClient app = PushClient.connect(gateway.gateway().httpPort(), recipient, PLATFORM_KEY)) {
            app.next();
            String id = api.accepted(BANK_KEY, "again-" + recipient, recipient, "TRANSACTIONAL", "Your balance is 1 EUR");
            assertThat(app.nextMessageId()).isEqualTo(id);

            gateway.clock().advance(Duration.ofSeconds(31));
            assertThat(app.nextMessageId()).as("at least once: pushed again after its lease").isEqualTo(id);
        }
    }

    @Test
    void aBusinessKeyCannotOpenThePushChannelAndAPlainGetIsToldToUpgrade() {
        String recipient = optedIn();
        assertThatThrownBy(() -> PushClient.connect(gateway.gateway().httpPort(), recipient, BANK_KEY))
                .hasStackTraceContaining("status code 403");
        var plain = http.get(DeliveryApi.inbox(recipient) + "/push", PLATFORM_KEY);
        assertThat(plain.statusCode()).isEqualTo(426);
        assertThat(plain.headers().firstValue("Upgrade")).hasValue("websocket");
    }
}
