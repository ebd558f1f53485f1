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
 * The classifier on the texts businesses typically send, one text per run. Each text takes a
 * different way through the rules, which the setup checks, so a changed rule cannot quietly
 * turn the benchmark of one path into that of another.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
// A fixed heap, so that the collector sizes its generations alike on every machine.
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class ClassificationBenchmark {

    /** A typical text, as declared by its sender, and what the classifier must make of it by which rule. */
    public enum TypicalText {
        /** No rule fires: read into words and searched for selling words and codes. */
        BALANCE_ALERT("Acme Bank: the balance of your account ending 4821 is 1,234.56 EUR on 1 March.",
                Category.TRANSACTIONAL, Category.TRANSACTIONAL, "declared"),
        /** A longer text with times and numbers, none of them near a code word. */
        FLIGHT_CHANGE("Your flight BA2490 to Lisbon on 14 March now leaves at 18:45 from gate B32. "
                + "Boarding closes 20 minutes before departure.",
                Category.TRANSACTIONAL, Category.TRANSACTIONAL, "declared"),
        /** Stops at the one-time-code rule. */
        ONE_TIME_CODE("Acme Bank: 482913 is your verification code. It expires in 10 minutes; never share it.",
                Category.AUTHENTICATION, Category.AUTHENTICATION, "one-time-code"),
        /** Declared marketing with a link: the phishing pattern runs, then the declaration decides. */
        MARKETING_OFFER("Spring rates are here: 4.1% on savings accounts until 31 May. Details at "
                + "https://acme.example/spring",
                Category.MARKETING, Category.MARKETING, "declared"),
        /** An offer declared transactional: the selling words reclassify it. */
        UNDECLARED_OFFER("Big sale this weekend: 20% off all travel insurance, book now",
                Category.TRANSACTIONAL, Category.MARKETING, "selling-words");

        final String text;
        final Category declared;
        final Category expected;
        final String rule;

        TypicalText(String text, Category declared, Category expected, String rule) {
            this.text = text;
            this.declared = declared;
            this.expected = expected;
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
        Classification expected = new Classification(typical.expected, false, typical.rule);
        if (!classification.equals(expected)) {
            throw new IllegalStateException(typical + " is now classified " + classification
                    + ", not " + expected + ": update the text or the benchmark");
        }
    }

    @Benchmark
    public Classification classify() {
        return classifier.classify(text, declared);
    }
}
