package org.optline.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.optline.core.admission.AdmissionListener;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;

/**
 * Binds admission to Micrometer: {@code optline.admission.outcomes} counts messages by reason
 * and category, {@code optline.admission.latency} times whole submissions, and a store read that
 * failed during admission is counted and logged. Tags are bounded
 * enums only; no id or number ever becomes a tag.
 */
public final class MicrometerAdmissionListener implements AdmissionListener {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MicrometerAdmissionListener.class);
    private static final String NONE = "none";
    /** Counters by [reason][category], index categories.length meaning "not classified". */
    private final Counter[][] outcomes;
    private final Counter duplicates;
    private final Timer latency;
    private final Counter failures;

    public MicrometerAdmissionListener(MeterRegistry registry) {
        Reason[] reasons = Reason.values();
        Category[] categories = Category.values();
        outcomes = new Counter[reasons.length][categories.length + 1];
        for (Reason reason : reasons) {
            for (int c = 0; c <= categories.length; c++) {
                String category = c < categories.length ? categories[c].name().toLowerCase(Locale.ROOT) : NONE;
                outcomes[reason.ordinal()][c] = Counter.builder("optline.admission.outcomes")
                        .description("Messages answered, by reason code and effective category")
                        .tag("reason", reason.name())
                        .tag("category", category)
                        .register(registry);
            }
        }
        duplicates = Counter.builder("optline.admission.duplicates")
                .description("Messages answered with an earlier outcome because their client_message_id repeated")
                .register(registry);
        latency = Timer.builder("optline.admission.latency")
                .description("From a submission handed to admission to its last outcome")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        failures = Counter.builder("optline.admission.failures")
                .description("Submissions answered OVERLOADED because a store read they needed failed")
                .register(registry);
    }

    @Override
    public void onOutcome(Outcome outcome) {
        int category = outcome.category() == null ? Category.values().length : outcome.category().ordinal();
        outcomes[outcome.reason().ordinal()][category].increment();
        if (outcome.duplicate()) {
            duplicates.increment();
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        failures.increment();
        // The engine's message names the store and what failed, never a number.
        log.error("a store read failed during admission: {}", failure.toString());
    }

    @Override
    public void onSubmission(int messages, long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }
}
