package org.optline.benchmarks;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.optline.core.admission.AdmissionListener;
import org.optline.core.admission.AdmissionPipeline;
import org.optline.core.admission.AdmissionPolicy;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.classify.Classifier;
import org.optline.core.consent.CachedConsentStore;
import org.optline.core.consent.ConsentKey;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Submission;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.memory.InMemoryConsentStore;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;

/**
 * The whole in-memory admission pipeline, wired as the in-memory gateway wires it: batches of
 * 100 transactional balance alerts to opted-in recipients, every one ACCEPTED and queued. The
 * stages run on the calling thread, so the time per message is the CPU admission costs.
 *
 * <p>The heap stays bounded: every accepted message stays in the in-memory queues and every
 * client_message_id in the idempotency window for 24 h (about 530 bytes a message together), so
 * a pipeline admits {@link #BATCHES_PER_PIPELINE} batches and is then replaced by a fresh one,
 * which lets both go: at most about 5 MB is held, and young collections have little to copy.
 * The prepared batches send each recipient one message and are then sent again; the pipeline is
 * always replaced when they start over, so their ids are new to it. A replacement is a few
 * small allocations once per 10 000 messages, too little to show in the figure.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(PipelineBenchmark.BATCH_SIZE)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
// A fixed heap, so that the collector sizes its generations alike on every machine.
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class PipelineBenchmark {
    /** Messages per submission: the loadtest's default over TCP, a tenth of the largest allowed. */
    static final int BATCH_SIZE = 100;
    /** 10 000 messages: enough that the queue and idempotency maps are not trivially small. */
    static final int BATCHES_PER_PIPELINE = 100;
    static final String BUSINESS_ID = "acme-bank";
    /** The gateway's default consent cache, which holds every recipient of this benchmark. */
    static final long CONSENT_CACHE_ENTRIES = 1_000_000;
    /** A fixed seed, so that every run sends the same ids and texts. */
    private static final long SEED = 42L;

    /** Opted-in recipients; the prepared batches send each of them one message. */
    @Param("100000")
    public int recipients;

    /** The system clock, as the gateway's: its reads are part of the cost of a message. */
    private final InstantSource clock = InstantSource.system();
    private final Classifier classifier = new Classifier();
    /**
     * Far above what one thread can send, so that the limiter refills and grants on every batch as
     * it does for a business within its limit, and never refuses. Unlimited tier: transactional
     * messages then pass the anti-spam stage uncounted, as they do in production.
     */
    private final Business business = new Business(BUSINESS_ID, List.of(Credential.ofSecret("olk_" + BUSINESS_ID)),
            Integer.MAX_VALUE, Tier.UNLIMITED, Quality.GREEN, Map.of());
    /** Outlives the pipelines, as the consent store and its cache outlive a gateway's traffic. */
    private CachedConsentStore consents;
    private List<List<Submission>> batches;

    private AdmissionPipeline pipeline;
    private int nextBatch;
    private long notFreshlyAccepted;
    private Outcome firstRefusal;

    @Setup(Level.Trial)
    public void optInAndPrepareBatches() {
        List<String> numbers = Recipients.numbers(recipients);
        // Parsing also fills the gateway's cache of valid numbers, as a day of alerts would.
        List<PhoneNumber> parsed = numbers.stream().map(Recipients::parse).toList();
        InMemoryConsentStore store = new InMemoryConsentStore();
        Recipients.optIn(store, BUSINESS_ID, parsed);
        consents = new CachedConsentStore(store, CONSENT_CACHE_ENTRIES);
        for (PhoneNumber recipient : parsed) {
            consents.get(new ConsentKey(recipient, BUSINESS_ID)).join();
        }
        batches = batches(numbers);

        List<Outcome> trial = newPipeline().admit(business, batches.get(0)).join();
        for (Outcome outcome : trial) {
            if (!outcome.isAccepted()) {
                throw new IllegalStateException("the pipeline no longer accepts the benchmark's messages: "
                        + outcome.reason() + " (" + outcome.detail() + ")");
            }
        }
    }

    /** Message {@code i} goes to recipient {@code i}, with its own id and its own amount. */
    private static List<List<Submission>> batches(List<String> numbers) {
        Random random = new Random(SEED);
        List<List<Submission>> batches = new ArrayList<>();
        for (int first = 0; first < numbers.size(); first += BATCH_SIZE) {
            List<Submission> batch = new ArrayList<>(BATCH_SIZE);
            for (int i = first; i < first + BATCH_SIZE; i++) {
                String clientMessageId = new UUID(random.nextLong(), random.nextLong()).toString();
                batch.add(Submission.text(clientMessageId, numbers.get(i % numbers.size()), Category.TRANSACTIONAL,
                        balanceAlert(random.nextInt(10_000_000))));
            }
            batches.add(List.copyOf(batch));
        }
        return List.copyOf(batches);
    }

    /** The loadtest's alert: no selling word and no code, so it stays TRANSACTIONAL. */
    private static String balanceAlert(int cents) {
        return String.format(Locale.ROOT, "Your balance is %d.%02d EUR", cents / 100, cents % 100);
    }

    private AdmissionPipeline newPipeline() {
        return new AdmissionPipeline(AdmissionPolicy.DEFAULTS, DeliveryPolicy.DEFAULTS, clock, consents, new InMemoryDeliveryQueues(),
                new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW),
                new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock), classifier, Runnable::run,
                AdmissionListener.NONE);
    }

    @Setup(Level.Iteration)
    public void startAFreshPipeline() {
        pipeline = newPipeline();
        nextBatch = 0;
        notFreshlyAccepted = 0;
        firstRefusal = null;
    }

    /** One batch of 100; JMH divides its time by 100, so the figure is per message. */
    @Benchmark
    public List<Outcome> admitBatch() {
        // The stages ran on this thread: the answers are already there.
        List<Outcome> outcomes = pipeline.admit(business, batches.get(nextBatch)).join();
        nextBatch = nextBatch + 1 == batches.size() ? 0 : nextBatch + 1;
        if (nextBatch % BATCHES_PER_PIPELINE == 0) {
            pipeline = newPipeline();
        }
        // Reading every answer is the transport's work too; it costs about a nanosecond a message.
        for (Outcome outcome : outcomes) {
            if (!outcome.isAccepted() || outcome.duplicate()) {
                notFreshlyAccepted++;
                if (firstRefusal == null) {
                    firstRefusal = outcome;
                }
            }
        }
        return outcomes;
    }

    @TearDown(Level.Iteration)
    public void checkEveryMessageWasAccepted() {
        if (notFreshlyAccepted > 0) {
            throw new IllegalStateException(notFreshlyAccepted + " messages were not accepted afresh, the first "
                    + firstRefusal.reason() + (firstRefusal.duplicate() ? " as a duplicate" : "")
                    + " (" + firstRefusal.detail() + "): the figure would not be that of admission");
        }
    }
}
