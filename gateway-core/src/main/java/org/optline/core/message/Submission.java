package org.optline.core.message;

import java.util.List;
import java.util.Objects;

/**
 * A message as a business submitted it, before any check: fields may be missing or invalid,
 * the validation stage decides. Exactly one of {@code text} and {@code templateName} is
 * expected to be set.
 */
public record Submission(
        String clientMessageId,
        String recipient,
        Category declaredCategory,
        String text,
        String templateName,
        List<String> templateParameters,
        int ttlSeconds,
        String campaignId) {

    public Submission {
        clientMessageId = Objects.requireNonNullElse(clientMessageId, "");
        recipient = Objects.requireNonNullElse(recipient, "");
        text = text == null || text.isEmpty() ? null : text;
        templateName = templateName == null || templateName.isEmpty() ? null : templateName;
        templateParameters = templateParameters == null ? List.of() : List.copyOf(templateParameters);
        campaignId = Objects.requireNonNullElse(campaignId, "");
    }

    /** A free-text message, the common case in tests and the load generator. */
    public static Submission text(String clientMessageId, String recipient, Category declared, String text) {
        return new Submission(clientMessageId, recipient, declared, text, null, List.of(), 0, "");
    }

    /** A template message. */
    public static Submission template(String clientMessageId, String recipient, Category declared,
                                      String templateName, List<String> parameters) {
        return new Submission(clientMessageId, recipient, declared, null, templateName, parameters, 0, "");
    }

    /** Never prints the recipient in full. */
    @Override
    public String toString() {
        return "Submission[" + clientMessageId + ", declared=" + declaredCategory + "]";
    }
}
