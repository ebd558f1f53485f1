package org.optline.server.wire;

import java.util.List;
import java.util.Optional;
import org.optline.core.delivery.Transition;
import org.optline.core.webhook.OutboxEvent;
import org.optline.core.webhook.WebhookRegistration;
import org.optline.core.webhook.WebhookSecret;
import org.optline.proto.v1.DeadLetters;
import org.optline.proto.v1.ReplayResponse;
import org.optline.proto.v1.Webhook;
import org.optline.proto.v1.WebhookEvent;
import org.optline.proto.v1.WebhookEventBatch;
import org.optline.proto.v1.WebhookSecretInfo;

/** Webhooks between protobuf and the domain: the registration a business manages, and the events it receives. */
public final class WebhookWire {
    private WebhookWire() {}

    /** The business's webhook; an empty message when it has none. */
    public static Webhook webhook(Optional<WebhookRegistration> registration) {
        return registration.map(WebhookWire::webhook).orElseGet(Webhook::getDefaultInstance);
    }

    public static Webhook webhook(WebhookRegistration registration) {
        Webhook.Builder webhook = Webhook.newBuilder()
                .setUrl(registration.url().toString())
                .setRegisteredAt(registration.registeredAt().toString());
        for (WebhookSecret secret : registration.secrets()) {
            WebhookSecretInfo.Builder info = WebhookSecretInfo.newBuilder()
                    .setId(secret.id())
                    .setSecret(secret.secret())
                    .setCreatedAt(secret.createdAt().toString());
            if (secret.retiresAt() != null) {
                info.setRetiresAt(secret.retiresAt().toString());
            }
            webhook.addSecrets(info);
        }
        return webhook.build();
    }

    /** The body of one webhook request. */
    public static WebhookEventBatch batch(List<OutboxEvent> events) {
        WebhookEventBatch.Builder batch = WebhookEventBatch.newBuilder();
        events.forEach(event -> batch.addEvents(event(event)));
        return batch.build();
    }

    public static DeadLetters deadLetters(List<OutboxEvent> events) {
        DeadLetters.Builder dead = DeadLetters.newBuilder();
        events.forEach(event -> dead.addEvents(event(event)));
        return dead.build();
    }

    public static ReplayResponse replayed(int replayed) {
        return ReplayResponse.newBuilder().setReplayed(replayed).build();
    }

    static WebhookEvent event(OutboxEvent event) {
        Transition t = event.transition();
        WebhookEvent.Builder proto = WebhookEvent.newBuilder()
                .setEventId(event.eventId())
                .setMessageId(t.messageId())
                .setClientMessageId(t.clientMessageId())
                .setState(MessageWire.state(t.state()))
                .setAt(t.at().toString())
                .setRecipientMasked(t.recipientMasked())
                .setFailureReason(t.reason());
        if (t.category() != null) {
            proto.setCategory(MessageWire.category(t.category()));
        }
        if (t.acceptedAt() != null) {
            proto.setAcceptedAt(t.acceptedAt().toString());
        }
        return proto.build();
    }
}
