package org.optline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.optline.core.message.Outcome;

/**
 * Runs each benchmark's setup, a few operations and its checks once, on small sizes: a core
 * change that makes a benchmark measure another path fails the build, not a later measurement.
 */
class BenchmarksMeasureWhatTheyClaimTest {

    @ParameterizedTest
    @EnumSource(ClassificationBenchmark.TypicalText.class)
    void everyTypicalTextIsClassifiedByItsRule(ClassificationBenchmark.TypicalText typical) {
        ClassificationBenchmark benchmark = new ClassificationBenchmark();
        benchmark.typical = typical;

        assertThatCode(benchmark::checkTheTextTakesItsPath).doesNotThrowAnyException();
        assertThat(benchmark.classify().category()).isEqualTo(typical.expected);
    }

    @Test
    void cachedLookupsHitAndUndersizedCacheLookupsMiss() {
        ConsentLookupBenchmark benchmark = new ConsentLookupBenchmark();
        ConsentLookupBenchmark.Cached cached = new ConsentLookupBenchmark.Cached();
        ConsentLookupBenchmark.Undersized undersized = new ConsentLookupBenchmark.Undersized();
        for (ConsentLookupBenchmark.Lookups lookups : List.of(cached, undersized)) {
            lookups.recipients = 2_000;
            lookups.optInEveryRecipient();
            lookups.rememberCacheStats();
        }

        for (int i = 0; i < 3 * 2_000; i++) {
            assertThat(benchmark.cachedRecipient(cached).transactional().name()).isEqualTo("OPTED_IN");
            assertThat(benchmark.uncachedRecipient(undersized).transactional().name()).isEqualTo("OPTED_IN");
        }

        assertThatCode(cached::checkEveryLookupHit).doesNotThrowAnyException();
        assertThatCode(undersized::checkLookupsMissed).doesNotThrowAnyException();
    }

    @Test
    void pipelineAcceptsEveryMessageAcrossItsReplacements() {
        // Replaced after batch 100 and when the 150 batches start over: no id is seen twice by one pipeline.
        int batches = 3 * PipelineBenchmark.BATCHES_PER_PIPELINE / 2;
        PipelineBenchmark benchmark = new PipelineBenchmark();
        benchmark.recipients = batches * PipelineBenchmark.BATCH_SIZE;
        benchmark.optInAndPrepareBatches();
        benchmark.startAFreshPipeline();

        for (int i = 0; i < 2 * batches; i++) {
            assertThat(benchmark.admitBatch()).hasSize(PipelineBenchmark.BATCH_SIZE)
                    .allMatch(Outcome::isAccepted).noneMatch(Outcome::duplicate);
        }

        assertThatCode(benchmark::checkEveryMessageWasAccepted).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"JDK", "OPENSSL"})
    void tlsHandshakesAndCarriesARequestAndItsAnswerWithEitherProvider(String provider) throws Exception {
        TlsBenchmark benchmark = new TlsBenchmark();
        TlsBenchmark.Contexts contexts = new TlsBenchmark.Contexts();
        contexts.provider = provider;
        contexts.make();
        TlsBenchmark.Session session = new TlsBenchmark.Session();
        session.bytes = 8_192;
        try {
            assertThat(benchmark.handshake(contexts)).isTrue();
            session.establish(contexts);
            assertThat(session.clientEngine.getSession().getProtocol()).isEqualTo("TLSv1.3");
            for (int i = 0; i < 3; i++) {
                assertThat(benchmark.request(session)).isEqualTo(2 * 8_192);
            }
        } finally {
            session.close();
            contexts.release();
        }
    }

    @Test
    void theAntiSpamBenchmarksPassEveryMessageAcrossDays() {
        AntiSpamBenchmark benchmark = new AntiSpamBenchmark();
        AntiSpamBenchmark.Cached cached = new AntiSpamBenchmark.Cached();
        AntiSpamBenchmark.Cached offers = new AntiSpamBenchmark.Cached();
        AntiSpamBenchmark.Undersized undersized = new AntiSpamBenchmark.Undersized();
        for (AntiSpamBenchmark.Limits limits : List.of(cached, offers, undersized)) {
            limits.recipients = 500;
            limits.makeTheLimits();
        }

        for (int i = 0; i < 10 * 500; i++) {
            assertThat(benchmark.alertOfATieredBusiness(cached).counts().hasContact()).isTrue();
            assertThat(benchmark.alertCacheMiss(undersized).counts().hasContact()).isTrue();
            assertThat(benchmark.offer(offers).counts().marketing()).isNotNull();
        }
    }
}
