package org.optline.core.template;

import java.util.regex.Pattern;
import org.optline.core.classify.Classification;
import org.optline.core.classify.Classifier;
import org.optline.core.message.Category;

/**
 * The review of a template's text at registration, by the same classifier admission uses: a
 * template declared TRANSACTIONAL (or AUTHENTICATION) whose wording sells is registered as
 * MARKETING, with the evidence; wording that reads as spam is refused, with the evidence.
 *
 * <p>The review reads the wording the business commits to: each placeholder is removed (replaced
 * by a space) rather than filled with an invented sample, which would decide by what the sample
 * happens to look like (a number reads as an amount or a code, a word as a name). What goes into
 * the placeholders is judged when a message is sent: admission classifies every filled template
 * like any text, so a link or an offer passed as a parameter is caught then.
 */
public final class TemplateReview {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\d+}}");

    private final Classifier classifier;

    public TemplateReview(Classifier classifier) {
        this.classifier = classifier;
    }

    /** What the review decided. */
    public sealed interface Decision {
        /**
         * Registered under {@code category}; {@code reason} says why when it is not the declared
         * one, and is empty otherwise.
         */
        record Registered(Category category, String reason) implements Decision {}

        /** Refused: the wording reads as spam; {@code reason} says why. */
        record Refused(String reason) implements Decision {}
    }

    /** Reviews a template's text declared as {@code declared}. */
    public Decision review(Category declared, String text) {
        Classification classification = classifier.classify(wording(text), declared);
        if (classification.spam()) {
            return new Decision.Refused("the text " + classification.explanation());
        }
        if (classification.category() != declared) {
            String evidence = classification.explanation().isEmpty() ? "" : ": the text " + classification.explanation();
            return new Decision.Registered(classification.category(),
                    "registered as " + classification.category() + evidence);
        }
        return new Decision.Registered(declared, "");
    }

    /** The template's own wording: its text without the placeholders. */
    static String wording(String text) {
        return PLACEHOLDER.matcher(text).replaceAll(" ");
    }

    /** True when the text has wording of its own besides placeholders: at least one letter. */
    static boolean hasWording(String text) {
        return wording(text).codePoints().anyMatch(Character::isLetter);
    }
}
