package org.optline.server.wire;

import java.util.ArrayList;
import java.util.List;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentState;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.message.Submission;
import org.optline.proto.v1.BusinessConsent;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;

/**
 * The one place where protobuf meets the domain: both transports convert here, so that a
 * message reads the same over TCP, HTTP with JSON and HTTP with protobuf.
 */
public final class Wire {
    private Wire() {}

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

    /** Null for an unset action. */
    public static ConsentAction action(org.optline.proto.v1.ConsentAction action) {
        return switch (action) {
            case OPT_IN -> ConsentAction.OPT_IN;
            case OPT_OUT -> ConsentAction.OPT_OUT;
            case BLOCK -> ConsentAction.BLOCK;
            case UNBLOCK -> ConsentAction.UNBLOCK;
            case MARKETING_OFF -> ConsentAction.MARKETING_OFF;
            case MARKETING_ON -> ConsentAction.MARKETING_ON;
            default -> null;
        };
    }

    /** Null for an unset class. */
    public static ConsentClass consentClass(org.optline.proto.v1.ConsentClass consentClass) {
        return switch (consentClass) {
            case TRANSACTIONAL_CLASS -> ConsentClass.TRANSACTIONAL;
            case MARKETING_CLASS -> ConsentClass.MARKETING;
            default -> null;
        };
    }

    /** Null for an unset source. */
    public static ConsentSource source(org.optline.proto.v1.ConsentSource source) {
        return switch (source) {
            case APP -> ConsentSource.APP;
            case WEB -> ConsentSource.WEB;
            case KEYWORD -> ConsentSource.KEYWORD;
            case API -> ConsentSource.API;
            case IMPORT -> ConsentSource.IMPORT;
            default -> null;
        };
    }

    /** One change of the audit trail as exported. */
    public static org.optline.proto.v1.ConsentEvent event(org.optline.core.consent.ConsentChange change) {
        org.optline.proto.v1.ConsentEvent.Builder event = org.optline.proto.v1.ConsentEvent.newBuilder()
                .setAt(change.at().toString())
                .setBusinessId(change.key().isRecipientWide() ? "" : change.businessId())
                .setAction(org.optline.proto.v1.ConsentAction.valueOf(change.action().name()))
                .setSource(org.optline.proto.v1.ConsentSource.valueOf(change.source().name()))
                .setWordingVersion(change.wordingVersion());
        if (change.consentClass() != null) {
            event.setConsentClass(change.consentClass() == ConsentClass.MARKETING
                    ? org.optline.proto.v1.ConsentClass.MARKETING_CLASS
                    : org.optline.proto.v1.ConsentClass.TRANSACTIONAL_CLASS);
        }
        return event.build();
    }

    public static org.optline.proto.v1.ConsentRequestStatus requestStatus(
            org.optline.core.consent.ConsentRequests.Status status) {
        org.optline.proto.v1.ConsentRequestStatus.Builder answer = org.optline.proto.v1.ConsentRequestStatus.newBuilder()
                .setConsentClass(status.consentClass() == ConsentClass.MARKETING
                        ? org.optline.proto.v1.ConsentClass.MARKETING_CLASS
                        : org.optline.proto.v1.ConsentClass.TRANSACTIONAL_CLASS)
                .setState(org.optline.proto.v1.ConsentRequestStatus.State.valueOf(status.state().name()))
                .setAskedAt(status.askedAt().toString())
                .setDecideBy(status.decideBy().toString());
        status.endedAt().ifPresent(ended -> answer.setEndedAt(ended.toString()));
        return answer.build();
    }

    public static BusinessConsent businessConsent(String businessId, ConsentRecord record) {
        return BusinessConsent.newBuilder()
                .setBusinessId(businessId)
                .setTransactional(state(record.transactional()))
                .setMarketing(state(record.marketing()))
                .setBlocked(record.blocked())
                .build();
    }

    private static BusinessConsent.State state(ConsentState state) {
        return switch (state) {
            case OPTED_IN -> BusinessConsent.State.OPTED_IN;
            case OPTED_OUT -> BusinessConsent.State.OPTED_OUT;
            case ABSENT -> BusinessConsent.State.STATE_UNSPECIFIED;
        };
    }
}
