package org.optline.server.wire;

import java.util.ArrayList;
import java.util.List;
import org.optline.core.delivery.MessageRecord;
import org.optline.core.delivery.MessageState;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.message.Submission;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.MessageStatus;
import org.optline.proto.v1.SubmitMessagesResponse;

/**
 * Messages between protobuf and the domain, for every transport, so that a message reads the
 * same over TCP, HTTP with JSON and HTTP with protobuf.
 */
public final class MessageWire {
    private MessageWire() {}

    public static Submission submission(Message message) {
        boolean isTemplate = message.getContentCase() == Message.ContentCase.TEMPLATE;
        return new Submission(
                message.getClientMessageId(),
                message.getRecipient(),
                category(message.getDeclaredCategory()),
                message.getContentCase() == Message.ContentCase.TEXT ? message.getText() : null,
                isTemplate ? message.getTemplate().getName() : null,
                isTemplate ? message.getTemplate().getParametersList() : List.of(),
                message.getTtlSeconds(),
                message.getCampaignId());
    }

    public static List<Submission> submissions(List<Message> messages) {
        List<Submission> submissions = new ArrayList<>(messages.size());
        for (Message message : messages) {
            submissions.add(submission(message));
        }
        return submissions;
    }

    public static MessageResult result(Outcome outcome) {
        MessageResult.Builder result = MessageResult.newBuilder()
                .setClientMessageId(outcome.clientMessageId())
                .setReason(reason(outcome.reason()))
                .setReclassified(outcome.reclassified())
                .setDuplicate(outcome.duplicate())
                .setRetryAfterMs(outcome.retryAfterMillis())
                .setDetail(outcome.detail());
        if (outcome.messageId() != null) {
            result.setMessageId(outcome.messageId());
        }
        if (outcome.category() != null) {
            result.setCategory(category(outcome.category()));
        }
        return result.build();
    }

    public static List<MessageResult> results(List<Outcome> outcomes) {
        List<MessageResult> results = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            results.add(result(outcome));
        }
        return results;
    }

    /** The answer to an HTTP batch. */
    public static SubmitMessagesResponse response(List<Outcome> outcomes) {
        return SubmitMessagesResponse.newBuilder().addAllResults(results(outcomes)).build();
    }

    /** A message's status, as its sender may see it: the recipient masked, a time for each state reached. */
    public static MessageStatus status(MessageRecord record) {
        MessageStatus.Builder status = MessageStatus.newBuilder()
                .setMessageId(record.messageId())
                .setClientMessageId(record.clientMessageId())
                .setCategory(category(record.category()))
                .setState(state(record.state()))
                .setAcceptedAt(record.acceptedAt().toString())
                .setRecipientMasked(record.recipient().masked())
                .setFailureReason(record.failureReason());
        if (record.expiresAt() != null) {
            status.setExpiresAt(record.expiresAt().toString());
        }
        if (record.deliveredAt() != null) {
            status.setDeliveredAt(record.deliveredAt().toString());
        }
        if (record.readAt() != null) {
            status.setReadAt(record.readAt().toString());
        }
        if (record.expiredAt() != null) {
            status.setExpiredAt(record.expiredAt().toString());
        }
        if (record.failedAt() != null) {
            status.setFailedAt(record.failedAt().toString());
        }
        return status.build();
    }

    /** A message refused at admission, read back by its client_message_id: its reason and detail. */
    public static MessageStatus refused(Outcome outcome) {
        MessageStatus.Builder status = MessageStatus.newBuilder()
                .setClientMessageId(outcome.clientMessageId())
                .setState(MessageStatus.State.REFUSED)
                .setReason(reason(outcome.reason()))
                .setDetail(outcome.detail());
        if (outcome.category() != null) {
            status.setCategory(category(outcome.category()));
        }
        return status.build();
    }

    public static MessageStatus.State state(MessageState state) {
        return switch (state) {
            case QUEUED -> MessageStatus.State.QUEUED;
            case DELIVERED -> MessageStatus.State.DELIVERED;
            case READ -> MessageStatus.State.READ;
            case EXPIRED -> MessageStatus.State.EXPIRED;
            case FAILED -> MessageStatus.State.FAILED;
        };
    }

    /** Null for an unset or unknown category: validation refuses it with a clear detail. */
    public static Category category(org.optline.proto.v1.Category category) {
        return switch (category) {
            case TRANSACTIONAL -> Category.TRANSACTIONAL;
            case AUTHENTICATION -> Category.AUTHENTICATION;
            case MARKETING -> Category.MARKETING;
            default -> null;
        };
    }

    public static org.optline.proto.v1.Category category(Category category) {
        return switch (category) {
            case TRANSACTIONAL -> org.optline.proto.v1.Category.TRANSACTIONAL;
            case AUTHENTICATION -> org.optline.proto.v1.Category.AUTHENTICATION;
            case MARKETING -> org.optline.proto.v1.Category.MARKETING;
        };
    }

    /** The domain and the schema name the reason codes alike. */
    public static org.optline.proto.v1.Reason reason(Reason reason) {
        return org.optline.proto.v1.Reason.valueOf(reason.name());
    }
}
