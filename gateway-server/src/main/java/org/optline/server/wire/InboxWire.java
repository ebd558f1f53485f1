package org.optline.server.wire;

import java.time.Instant;
import org.optline.core.inbox.InboxService;
import org.optline.core.queue.QueuedMessage;
import org.optline.proto.v1.AckResponse;
import org.optline.proto.v1.InboxPage;
import org.optline.proto.v1.ReportResponse;

/** The inbox between protobuf and the domain. */
public final class InboxWire {
    private InboxWire() {}

    public static InboxPage page(InboxService.Pulled pulled) {
        InboxPage.Builder page = InboxPage.newBuilder();
        for (QueuedMessage message : pulled.messages()) {
            page.addMessages(message(message, pulled.leasedUntil()));
        }
        return page.build();
    }

    /** One message as the delivery side gets it, held by it until {@code leasedUntil}. */
    public static org.optline.proto.v1.QueuedMessage message(QueuedMessage message, Instant leasedUntil) {
        org.optline.proto.v1.QueuedMessage.Builder proto = org.optline.proto.v1.QueuedMessage.newBuilder()
                .setMessageId(message.messageId())
                .setBusinessId(message.businessId())
                .setCategory(MessageWire.category(message.category()))
                .setText(message.text())
                .setAcceptedAt(message.acceptedAt().toString())
                .setTtlSeconds(message.ttlSeconds())
                .setCampaignId(message.campaignId())
                .setLeasedUntil(leasedUntil.toString());
        if (message.expiresAt() != null) {
            proto.setExpiresAt(message.expiresAt().toString());
        }
        return proto.build();
    }

    public static AckResponse acknowledged(int removed) {
        return AckResponse.newBuilder().setRemoved(removed).build();
    }

    public static ReportResponse reported(int changed) {
        return ReportResponse.newBuilder().setChanged(changed).build();
    }
}
