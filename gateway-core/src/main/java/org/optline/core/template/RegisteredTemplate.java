package org.optline.core.template;

import java.time.Instant;
import java.util.Objects;
import org.optline.core.message.Category;

/**
 * A template as a business registered it and the review left it: the template admission fills
 * (with the category it was registered with), the category the business declared, why the review
 * changed it, which version it is, and where it comes from.
 *
 * @param review why the registered category differs from the declared one (the classifier's
 *     evidence); empty when the declaration stood
 */
public record RegisteredTemplate(String businessId, Template template, Category declared, int version, String review,
                                 Instant registeredAt, Source source) {

    /** Where a template comes from. */
    public enum Source {
        /** Registered through the templates API: stored, and changed or deleted by the business. */
        API,
        /** From the node's configuration file: read-only, changed by the operator in the file. */
        CONFIGURATION
    }

    public RegisteredTemplate {
        Objects.requireNonNull(businessId);
        Objects.requireNonNull(template);
        Objects.requireNonNull(declared);
        Objects.requireNonNull(registeredAt);
        Objects.requireNonNull(source);
        review = Objects.requireNonNullElse(review, "");
    }

    public String name() {
        return template.name();
    }

    /** The category messages sent with this template get. */
    public Category category() {
        return template.category();
    }

    /** True when the review registered it under another category than the declared one. */
    public boolean reclassified() {
        return template.category() != declared;
    }
}
