package org.optline.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UnexpectedErrorsTest {
    private final List<String> lines = new ArrayList<>();
    private long now;
    private final UnexpectedErrors errors = new UnexpectedErrors(lines::add, () -> now);

    @Test
    void aBurstIsCutAfterTenLinesAndTheRestAreCountedInTheNextLine() {
        for (int i = 0; i < 1_000; i++) {
            errors.report("doing a thing", new IllegalStateException("bug " + i));
        }
        assertThat(lines).hasSize(UnexpectedErrors.BURST);

        now += TimeUnit.SECONDS.toNanos(60 / UnexpectedErrors.PER_MINUTE);
        errors.report("doing a thing", new IllegalStateException("once more"));

        assertThat(lines).hasSize(UnexpectedErrors.BURST + 1);
        assertThat(lines.get(lines.size() - 1)).contains("(990 more unexpected failures were not logged)");
    }

    @Test
    void aSteadyTrickleIsLoggedInFull() {
        for (int i = 0; i < 100; i++) {
            now += TimeUnit.SECONDS.toNanos(60 / UnexpectedErrors.PER_MINUTE);
            errors.report("doing a thing", new IllegalStateException("bug"));
        }
        assertThat(lines).hasSize(100).noneMatch(line -> line.contains("not logged"));
    }

    @Test
    void aLineIsOneLineWithTheTypeWhereItWasThrownAndItsCausesButNoNumberOrKey() {
        Exception error = new IllegalArgumentException("bad value +1 415 555 0123\nfrom key olk_abcDEF123_-xyz",
                new java.io.IOException("disk"));

        errors.report("answering", error);

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).doesNotContain("\n").doesNotContain("415").doesNotContain("0123")
                    .doesNotContain("abcDEF");
            assertThat(line).startsWith("unexpected failure answering: java.lang.IllegalArgumentException: bad value")
                    .contains(" at org.optline.server.guard.UnexpectedErrorsTest.")
                    .contains("caused by java.io.IOException");
        });
    }
}
