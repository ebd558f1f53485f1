package org.optline.server.wire;

import java.util.List;
import java.util.Map;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentDecision;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentRequests;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentState;
import org.optline.core.erasure.ErasureReceipt;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.BusinessConsent;
import org.optline.proto.v1.ConsentChangeAck;
import org.optline.proto.v1.ConsentEvent;
import org.optline.proto.v1.ConsentHistory;
import org.optline.proto.v1.ConsentRequestList;
import org.optline.proto.v1.ConsentRequestStatus;
import org.optline.proto.v1.ErasureAck;
import org.optline.proto.v1.RecipientConsents;
import org.optline.proto.v1.ReplyOutcome;

/** Consents, consent requests, replies and erasures between protobuf and the domain. */
public final class ConsentWire {
    private ConsentWire() {}

    /** What the platform reports a person decided; the business is checked by the service. */
    public static ConsentDecision decision(org.optline.proto.v1.ConsentChange body) throws Malformed {
        PhoneNumber recipient = Recipients.recipient(body.getRecipient());
        ConsentAction action = action(body.getAction());
        if (action == null) {
            throw Malformed.field("action is required: one of OPT_IN, OPT_OUT, BLOCK, UNBLOCK, MARKETING_OFF,"
                    + " MARKETING_ON");
        }
        ConsentClass consentClass = consentClass(body.getConsentClass());
        if (action.needsClass() && consentClass == null) {
            throw Malformed.field(action + " needs consentClass TRANSACTIONAL_CLASS or MARKETING_CLASS");
        }
        // Unset source means the platform's own API call.
        return new ConsentDecision(recipient, body.getBusinessId(), action, consentClass, source(body.getSource()),
                body.getWordingVersion());
    }

    /** The class a business asks for; required. */
    public static ConsentClass requestedClass(org.optline.proto.v1.ConsentClass consentClass) throws Malformed {
        ConsentClass requested = consentClass(consentClass);
        if (requested == null) {
            throw Malformed.field("consentClass is required: TRANSACTIONAL_CLASS or MARKETING_CLASS");
        }
        return requested;
    }

    public static ConsentChangeAck recorded(java.time.Instant at) {
        return ConsentChangeAck.newBuilder().setRecordedAt(at.toString()).build();
    }

    /** A recipient's whole consent state: per business, and the recipient-wide marketing switch. */
    public static RecipientConsents records(PhoneNumber recipient, Map<String, ConsentRecord> records) {
        RecipientConsents.Builder answer = RecipientConsents.newBuilder().setRecipient(recipient.e164());
        for (Map.Entry<String, ConsentRecord> entry : records.entrySet()) {
            if (entry.getKey().equals(ConsentKey.EVERY_BUSINESS)) {
                answer.setMarketingOffEverywhere(entry.getValue().marketing() == ConsentState.OPTED_OUT);
            } else {
                answer.addBusinesses(businessConsent(entry.getKey(), entry.getValue()));
            }
        }
        return answer.build();
    }

    public static ConsentHistory history(PhoneNumber recipient, List<ConsentChange> changes) {
        ConsentHistory.Builder answer = ConsentHistory.newBuilder().setRecipient(recipient.e164());
        changes.forEach(change -> answer.addEvents(event(change)));
        return answer.build();
    }

    public static ReplyOutcome reply(String keyword, List<ConsentChange> changes) {
        ReplyOutcome.Builder outcome = ReplyOutcome.newBuilder().setKeyword(keyword);
        changes.forEach(change -> outcome.addChanges(event(change)));
        return outcome.build();
    }

    public static ConsentRequestList requests(List<ConsentRequests.Status> statuses) {
        ConsentRequestList.Builder list = ConsentRequestList.newBuilder();
        statuses.forEach(status -> list.addRequests(requestStatus(status)));
        return list.build();
    }

    public static ErasureAck erased(ErasureReceipt receipt) {
        return ErasureAck.newBuilder()
                .setErasedAt(receipt.erasedAt().toString())
                .setErasureId(receipt.erasureId())
                .setMessagesRemoved(receipt.messagesRemoved())
                .build();
    }

    /** One change of the audit trail as exported. */
    public static ConsentEvent event(ConsentChange change) {
        ConsentEvent.Builder event = ConsentEvent.newBuilder()
                .setAt(change.at().toString())
                .setBusinessId(change.key().isRecipientWide() ? "" : change.businessId())
                .setAction(org.optline.proto.v1.ConsentAction.valueOf(change.action().name()))
                .setSource(org.optline.proto.v1.ConsentSource.valueOf(change.source().name()))
                .setWordingVersion(change.wordingVersion());
        if (change.consentClass() != null) {
            event.setConsentClass(consentClass(change.consentClass()));
        }
        return event.build();
    }

    public static ConsentRequestStatus requestStatus(ConsentRequests.Status status) {
        ConsentRequestStatus.Builder answer = ConsentRequestStatus.newBuilder()
                .setConsentClass(consentClass(status.consentClass()))
                .setState(ConsentRequestStatus.State.valueOf(status.state().name()))
                .setAskedAt(status.askedAt().toString())
                .setDecideBy(status.decideBy().toString());
        status.endedAt().ifPresent(ended -> answer.setEndedAt(ended.toString()));
        return answer.build();
    }

    private static BusinessConsent businessConsent(String businessId, ConsentRecord record) {
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

    /** Null for an unset action. */
    static ConsentAction action(org.optline.proto.v1.ConsentAction action) {
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
    static ConsentClass consentClass(org.optline.proto.v1.ConsentClass consentClass) {
        return switch (consentClass) {
            case TRANSACTIONAL_CLASS -> ConsentClass.TRANSACTIONAL;
            case MARKETING_CLASS -> ConsentClass.MARKETING;
            default -> null;
        };
    }

    private static org.optline.proto.v1.ConsentClass consentClass(ConsentClass consentClass) {
        return consentClass == ConsentClass.MARKETING
                ? org.optline.proto.v1.ConsentClass.MARKETING_CLASS
                : org.optline.proto.v1.ConsentClass.TRANSACTIONAL_CLASS;
    }

    /** Null for an unset source. */
    static ConsentSource source(org.optline.proto.v1.ConsentSource source) {
        return switch (source) {
            case APP -> ConsentSource.APP;
            case WEB -> ConsentSource.WEB;
            case KEYWORD -> ConsentSource.KEYWORD;
            case API -> ConsentSource.API;
            case IMPORT -> ConsentSource.IMPORT;
            default -> null;
        };
    }
}
