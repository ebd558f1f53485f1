package org.optline.core.admission;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import org.optline.core.business.Business;
import org.optline.core.message.Category;
import org.optline.core.message.Excerpt;
import org.optline.core.message.Reason;
import org.optline.core.message.Submission;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.template.Template;
import org.optline.core.template.TemplateLookup;

/**
 * Stage 3: the recipient must be a valid number, the required fields present and every size
 * within its limit, and a template must be registered with as many parameters as it has
 * placeholders. A template's registered category replaces the declared one, since it was
 * reviewed at registration, except that a message declared MARKETING stays MARKETING. Templates
 * are looked up in the live registry, so a template registered a moment ago on another
 * connection is found.
 */
final class ValidationStage implements Stage {
    private final AdmissionPolicy policy;
    private final TemplateLookup templates;

    ValidationStage(AdmissionPolicy policy) {
        this(policy, TemplateLookup.CONFIGURED);
    }

    ValidationStage(AdmissionPolicy policy, TemplateLookup templates) {
        this.policy = policy;
        this.templates = templates;
    }

    @Override
    public CompletableFuture<Void> apply(Business business, List<Candidate> undecided) {
        for (Candidate candidate : undecided) {
            validate(business, candidate);
        }
        return DONE;
    }

    private void validate(Business business, Candidate candidate) {
        Submission message = candidate.submission;
        Optional<PhoneNumber> recipient = PhoneNumber.parse(message.recipient());
        if (recipient.isEmpty()) {
            candidate.refuse(Reason.INVALID_RECIPIENT, "recipient must be a valid E.164 number such as +14155550123");
            return;
        }
        candidate.recipient = recipient.get();
        String invalid = invalidField(message);
        if (invalid != null) {
            candidate.refuse(Reason.INVALID_MESSAGE, invalid);
            return;
        }
        if (message.text() != null) {
            candidate.text = message.text();
            return;
        }
        Optional<Template> template = templates.find(business, message.templateName());
        if (template.isEmpty()) {
            candidate.refuse(Reason.UNKNOWN_TEMPLATE, "no template named " + Excerpt.of(message.templateName()));
            return;
        }
        int expected = template.get().parameterCount();
        if (message.templateParameters().size() != expected) {
            candidate.refuse(Reason.UNKNOWN_TEMPLATE, "template " + Excerpt.of(message.templateName()) + " takes "
                    + expected + " parameters, got " + message.templateParameters().size());
            return;
        }
        String rendered = template.get().render(message.templateParameters());
        if (rendered.length() > policy.maxTextLength()) {
            candidate.refuse(Reason.INVALID_MESSAGE, "the filled template is longer than " + policy.maxTextLength()
                    + " characters");
            return;
        }
        // The template's reviewed category, unless the sender declared MARKETING: a declaration
        // may make a message stricter, never the other way round.
        if (candidate.category != Category.MARKETING) {
            candidate.category = template.get().category();
            if (candidate.category != message.declaredCategory()) {
                candidate.classificationDetail = "the template '" + template.get().name() + "' is registered as "
                        + candidate.category;
            }
        }
        candidate.text = rendered;
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private String invalidField(Submission message) {
        if (message.clientMessageId().isEmpty()) {
            return "client_message_id is required";
        }
        if (message.clientMessageId().length() > policy.maxClientMessageIdLength()) {
            return "client_message_id is longer than " + policy.maxClientMessageIdLength() + " characters";
        }
        if (!isWellFormed(message.clientMessageId()) || !isWellFormed(message.campaignId())
                || message.text() != null && !isWellFormed(message.text())
                || !message.templateParameters().stream().allMatch(ValidationStage::isWellFormed)) {
            // A lone surrogate has no UTF-8 form: two different ids would be stored as one key.
            return "a text field contains an unpaired UTF-16 surrogate";
        }
        if (message.declaredCategory() == null) {
            return "declared_category is required";
        }
        if (message.text() == null && message.templateName() == null) {
            return "either text or template is required";
        }
        if (message.text() != null && message.templateName() != null) {
            return "text and template are exclusive";
        }
        if (message.text() != null && message.text().length() > policy.maxTextLength()) {
            return "text is longer than " + policy.maxTextLength() + " characters";
        }
        for (String parameter : message.templateParameters()) {
            if (parameter.length() > policy.maxTextLength()) {
                return "a template parameter is longer than " + policy.maxTextLength() + " characters";
            }
        }
        if (message.ttlSeconds() < 0 || message.ttlSeconds() > policy.maxTtl().toSeconds()) {
            return "ttl_seconds must be between 0 and " + policy.maxTtl().toSeconds();
        }
        if (message.campaignId().length() > policy.maxClientMessageIdLength()) {
            return "campaign_id is longer than " + policy.maxClientMessageIdLength() + " characters";
        }
        return null;
    }
}
