package org.optline.server.wire;

import java.util.List;
import org.optline.core.queue.QueuedMessage;
import org.optline.proto.v1.AckResponse;
import org.optline.proto.v1.InboxPage;

/** The inbox between protobuf and the domain. */
public final class InboxWire {
    private InboxWire() {}

    public static InboxPage page(List<QueuedMessage> messages) {
        InboxPage.Builder page = InboxPage.newBuilder();
        for (QueuedMessage message : messages) {
            page.addMessages(org.optline.proto.v1.QueuedMessage.newBuilder()
                    .setMessageId(message.messageId())
                    .setBusinessId(message.businessId())
                    .setCategory(MessageWire.category(message.category()))
                    .setText(message.text())
                    .setAcceptedAt(message.acceptedAt().toString())
                    .setTtlSeconds(message.ttlSeconds())
                    .setCampaignId(message.campaignId()));
        }
        return page.build();
    }

    public static AckResponse acknowledged(int removed) {
        return AckResponse.newBuilder().setRemoved(removed).build();
    }
}
