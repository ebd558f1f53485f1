package org.optline.core.classify;

import java.util.List;
import org.optline.core.message.Category;

/**
 * Decides what a message really is from its text, with a model trained on a labelled corpus
 * (see {@code docs/classifier.md}), and says why.
 *
 * <p>The decision only ever moves a message towards the stricter side: spam is refused whatever
 * was declared; a text declared MARKETING stays MARKETING; a declared alert or code that reads
 * as marketing becomes MARKETING; a declared alert that reads as a one-time code becomes
 * AUTHENTICATION, which needs the same consent, but only when a code-shaped number stands next
 * to a word like "code" or "PIN". Nothing else changes a declaration: a zip code, a card ending
 * or an amount in an alert is no reason to touch it, every move needs the model to be sure
 * ({@link ClassifierModel.Thresholds}), and a text of one or two words is left as declared.
 *
 * <p>It is safe to share between threads and runs in a few microseconds: one pass over the text,
 * a few small arrays, no regular expression. Evidence is only worked out for the messages it
 * moves or refuses.
 */
public final class Classifier {
    /** Fewer words than this, with no link or phone number, and the declaration stands. */
    static final int MIN_WORDS_TO_JUDGE = 3;

    private final ClassifierModel model;
    private final FeatureExtractor extractor;

    /** A classifier with the model shipped with the gateway. */
    public Classifier() {
        this(Shipped.MODEL);
    }

    public Classifier(ClassifierModel model) {
        this.model = model;
        this.extractor = new FeatureExtractor(model.vocabulary());
    }

    /** Read once, on first use: the weights take a few megabytes and every pipeline shares them. */
    private static final class Shipped {
        static final ClassifierModel MODEL = ClassifierModel.shipped();
    }

    /** Each thread reads its texts into the same arrays: the classifier allocates next to nothing per message. */
    private static final ThreadLocal<Features> SCRATCH = ThreadLocal.withInitial(() -> new Features(new Tokens(256), 1024));

    /** Classifies a text declared as {@code declared}. */
    public Classification classify(String text, Category declared) {
        Features features = extractor.extract(text, SCRATCH.get());
        if (tooShortToJudge(features.tokens)) {
            return new Classification(declared, false, Classification.DECLARED, List.of());
        }
        float[] p = model.probabilities(features);
        ClassifierModel.Thresholds thresholds = model.thresholds();
        Label asDeclared = Label.of(declared);
        if (p[Label.SPAM.ordinal()] >= thresholds.spam()) {
            return new Classification(declared, true, Classification.SPAM,
                    Evidence.of(model, features, Label.SPAM, asDeclared));
        }
        if (declared == Category.MARKETING) {
            return new Classification(Category.MARKETING, false, Classification.DECLARED, List.of());
        }
        Label best = bestCategory(p);
        if (best == Label.MARKETING && p[Label.MARKETING.ordinal()] >= thresholds.marketing()) {
            return new Classification(Category.MARKETING, false, Classification.MARKETING,
                    Evidence.of(model, features, Label.MARKETING, asDeclared));
        }
        if (declared == Category.TRANSACTIONAL && best == Label.AUTHENTICATION
                && p[Label.AUTHENTICATION.ordinal()] >= thresholds.authentication() && features.hasCodeNextToCodeWord()) {
            return new Classification(Category.AUTHENTICATION, false, Classification.ONE_TIME_CODE,
                    Evidence.of(model, features, Label.AUTHENTICATION, asDeclared));
        }
        return new Classification(declared, false, Classification.DECLARED, List.of());
    }

    /** What the text reads as, whatever its sender declared: the model's own label. */
    public Label label(String text) {
        float[] p = model.probabilities(extractor.extract(text, SCRATCH.get()));
        return p[Label.SPAM.ordinal()] >= model.thresholds().spam() ? Label.SPAM : bestCategory(p);
    }

    /** The probability of each label for a text, in {@link Label} order. */
    public float[] probabilities(String text) {
        return model.probabilities(extractor.extract(text, SCRATCH.get()));
    }

    /**
     * "Hello", "Hi", "ok": a text of one or two words and no link or number to call says too
     * little for a model to overrule its sender, which would refuse a real greeting because scams
     * also start with one.
     */
    private static boolean tooShortToJudge(Tokens tokens) {
        if (tokens.count >= MIN_WORDS_TO_JUDGE) {
            return false;
        }
        for (int i = 0; i < tokens.count; i++) {
            if (tokens.kind[i] == Tokens.LINK || tokens.kind[i] == Tokens.PHONE || tokens.kind[i] == Tokens.EMAIL) {
                return false;
            }
        }
        return true;
    }

    private static Label bestCategory(float[] p) {
        float transactional = p[Label.TRANSACTIONAL.ordinal()];
        float authentication = p[Label.AUTHENTICATION.ordinal()];
        float marketing = p[Label.MARKETING.ordinal()];
        if (marketing > transactional && marketing > authentication) {
            return Label.MARKETING;
        }
        return authentication > transactional ? Label.AUTHENTICATION : Label.TRANSACTIONAL;
    }
}
