package org.optline.core.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.optline.core.message.Category;

/**
 * How well a classifier does on labelled texts it never trained on: the confusion matrix of its
 * labels, precision, recall and F1 per label, and what its decisions do to senders — how many
 * genuine alerts and codes declared as what they are would be changed or refused, and how many
 * spam texts declared TRANSACTIONAL, the worst case, would be refused. The quality gate test and
 * the training command both report from here.
 */
public final class Evaluation {
    private final int[][] confusion = new int[Label.ALL.length][Label.ALL.length];
    private int genuine;
    private final List<String> genuineChanged = new ArrayList<>();
    private int spam;
    private int spamRefused;
    private final List<String> mistakes = new ArrayList<>();

    private Evaluation() {}

    /** Classifies every text and tallies the results. */
    public static Evaluation of(Classifier classifier, List<LabelledText> texts) {
        Evaluation evaluation = new Evaluation();
        for (LabelledText text : texts) {
            Label predicted = classifier.label(text.text());
            evaluation.confusion[text.label().ordinal()][predicted.ordinal()]++;
            if (predicted != text.label()) {
                evaluation.mistakes.add(text.label() + " read as " + predicted + ": " + text.text());
            }
            switch (text.label()) {
                case TRANSACTIONAL, AUTHENTICATION -> {
                    evaluation.genuine++;
                    Category declared = text.label().category();
                    Classification decision = classifier.classify(text.text(), declared);
                    if (decision.spam() || decision.category() != declared) {
                        evaluation.genuineChanged.add(text.label() + " " + (decision.spam() ? "refused" : "made "
                                + decision.category()) + " (" + decision.explanation() + "): " + text.text());
                    }
                }
                case SPAM -> {
                    evaluation.spam++;
                    if (classifier.classify(text.text(), Category.TRANSACTIONAL).spam()) {
                        evaluation.spamRefused++;
                    }
                }
                default -> { }
            }
        }
        return evaluation;
    }

    /** Texts of the row's true label that the classifier labelled as the column's. */
    public int count(Label truth, Label predicted) {
        return confusion[truth.ordinal()][predicted.ordinal()];
    }

    public int total(Label truth) {
        int total = 0;
        for (Label predicted : Label.ALL) {
            total += count(truth, predicted);
        }
        return total;
    }

    public double precision(Label label) {
        int predicted = 0;
        for (Label truth : Label.ALL) {
            predicted += count(truth, label);
        }
        return predicted == 0 ? 0 : (double) count(label, label) / predicted;
    }

    public double recall(Label label) {
        int total = total(label);
        return total == 0 ? 0 : (double) count(label, label) / total;
    }

    public double f1(Label label) {
        double p = precision(label);
        double r = recall(label);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double macroF1() {
        double sum = 0;
        for (Label label : Label.ALL) {
            sum += f1(label);
        }
        return sum / Label.ALL.length;
    }

    /** Spam texts the model labelled TRANSACTIONAL or AUTHENTICATION: the ones that would pass as alerts. */
    public int spamPassedAsAlerts() {
        return count(Label.SPAM, Label.TRANSACTIONAL) + count(Label.SPAM, Label.AUTHENTICATION);
    }

    /** Share of genuine alerts and codes, declared as what they are, that the decision changed or refused. */
    public double genuineChangedShare() {
        return genuine == 0 ? 0 : (double) genuineChanged.size() / genuine;
    }

    /** Share of spam texts, declared TRANSACTIONAL, that the decision refused. */
    public double spamRefusedShare() {
        return spam == 0 ? 0 : (double) spamRefused / spam;
    }

    /** Genuine alerts and codes that were changed or refused, with the decision's explanation. */
    public List<String> genuineChanged() {
        return List.copyOf(genuineChanged);
    }

    /** Every text whose label the model got wrong. */
    public List<String> mistakes() {
        return List.copyOf(mistakes);
    }

    /** The figures as Markdown tables, as {@code docs/classifier.md} shows them. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| true \\ predicted |");
        for (Label label : Label.ALL) {
            out.append(' ').append(label).append(" |");
        }
        out.append(" total |\n|---|");
        out.append("---:|".repeat(Label.ALL.length + 1)).append('\n');
        for (Label truth : Label.ALL) {
            out.append("| ").append(truth).append(" |");
            for (Label predicted : Label.ALL) {
                out.append(' ').append(count(truth, predicted)).append(" |");
            }
            out.append(' ').append(total(truth)).append(" |\n");
        }
        out.append("\n| label | precision | recall | F1 |\n|---|---:|---:|---:|\n");
        for (Label label : Label.ALL) {
            out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", label, precision(label),
                    recall(label), f1(label)));
        }
        out.append(String.format(Locale.ROOT, "%nmacro-F1 %.3f; spam recall %.3f; spam labelled TRANSACTIONAL or "
                        + "AUTHENTICATION: %d; spam declared TRANSACTIONAL and refused: %.1f %% (%d of %d); genuine "
                        + "TRANSACTIONAL and AUTHENTICATION changed or refused: %.1f %% (%d of %d)%n",
                macroF1(), recall(Label.SPAM), spamPassedAsAlerts(), 100 * spamRefusedShare(), spamRefused, spam,
                100 * genuineChangedShare(), genuineChanged.size(), genuine));
        return out.toString();
    }
}
