package org.optline.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.optline.core.classify.Classification;
import org.optline.core.classify.Classifier;
import org.optline.core.message.Category;

/**
 * The trained classifier on the texts businesses typically send, links included, one text per
 * run. Each text takes a different way through the decision, which the setup checks, so that a
 * retrained model cannot quietly turn the benchmark of one path into that of another.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
// A fixed heap, so that the collector sizes its generations alike on every machine.
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class ClassificationBenchmark {

    /** A typical text, as declared by its sender, and what the classifier must decide by which rule. */
    public enum TypicalText {
        /** A bank alert with a card ending and an amount: stays as declared. */
        BALANCE_ALERT("Acme Bank: the balance of your account ending 4821 is 1,234.56 EUR on 1 March.",
                Category.TRANSACTIONAL, Category.TRANSACTIONAL, false, "declared"),
        /** A longer alert with a flight number, times and a gate. */
        FLIGHT_CHANGE("Your flight BA2490 to Lisbon on 14 March now leaves at 18:45 from gate B32. "
                + "Boarding closes 20 minutes before departure.",
                Category.TRANSACTIONAL, Category.TRANSACTIONAL, false, "declared"),
        /** A one-time code declared as one. */
        ONE_TIME_CODE("Acme Bank: 482913 is your verification code. It expires in 10 minutes; never share it.",
                Category.AUTHENTICATION, Category.AUTHENTICATION, false, "declared"),
        /** A bank's own link in an alert. */
        STATEMENT_LINK("Your statement for March is ready at https://acmebank.example/statements",
                Category.TRANSACTIONAL, Category.TRANSACTIONAL, false, "declared"),
        /** Declared marketing with a link: the declaration stands. */
        MARKETING_OFFER("Spring rates are here: 4.1% on savings accounts until 31 May. Details at "
                + "https://acme.example/spring",
                Category.MARKETING, Category.MARKETING, false, "declared"),
        /** An offer declared transactional: reclassified, with its evidence worked out. */
        UNDECLARED_OFFER("Big sale this weekend: 20% off all travel insurance, book now",
                Category.TRANSACTIONAL, Category.MARKETING, false, "marketing"),
        /** Phishing with a look-alike domain: refused, with its evidence worked out. */
        PHISHING_LINK("USPS: your package could not be delivered. Update your address at usps-redelivery.top",
                Category.TRANSACTIONAL, Category.TRANSACTIONAL, true, "spam");

        final String text;
        final Category declared;
        final Category expected;
        final boolean spam;
        final String rule;

        TypicalText(String text, Category declared, Category expected, boolean spam, String rule) {
            this.text = text;
            this.declared = declared;
            this.expected = expected;
            this.spam = spam;
            this.rule = rule;
        }
    }

    @Param
    public TypicalText typical;

    private final Classifier classifier = new Classifier();
    private String text;
    private Category declared;

    @Setup(Level.Trial)
    public void checkTheTextTakesItsPath() {
        text = typical.text;
        declared = typical.declared;
        Classification classification = classifier.classify(text, declared);
        if (classification.category() != typical.expected || classification.spam() != typical.spam
                || !classification.rule().equals(typical.rule)) {
            throw new IllegalStateException(typical + " is now classified " + classification + ", not "
                    + typical.expected + (typical.spam ? " spam" : "") + " by " + typical.rule
                    + ": update the text or the benchmark");
        }
    }

    @Benchmark
    public Classification classify() {
        return classifier.classify(text, declared);
    }
}
