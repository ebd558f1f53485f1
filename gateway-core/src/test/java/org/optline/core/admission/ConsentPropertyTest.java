package org.optline.core.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.classify.Classifier;
import org.optline.core.consent.CachedConsentStore;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentKey;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentStore;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.inbox.Inbox;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.message.Submission;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StorageEngine;
import org.optline.core.testing.MutableClock;

/**
 * Consent as a property (issue 4): random interleavings of consent changes and submissions,
 * each submission checked against a small reference model of SPEC §2–3 written here, over the
 * in-memory stores and over RocksDB.
 *
 * <p>The model knows only the consent rules: per (recipient, business) a transactional and a
 * marketing state (opted in, opted out, absent), a block flag, and per recipient a "marketing off
 * for every business" flag. It decides on the effective category, which the test knows from its
 * own table of texts (and checks against the outcome). Everything else that could refuse a
 * message is ruled out by the setup (unlimited tier, green quality, a huge throughput, caps no
 * one reaches, unique marketing texts, fresh client_message_ids), and any other refusal fails
 * the test as a broken setup.
 *
 * <p>The seed is printed; {@code -Doptline.property.seed=N} replays a run. A failure names the
 * seed, the run, the step, the history of the (recipient, business) concerned, and a shrunk
 * sequence of steps that still fails. Recipients appear as r0..r3, never as numbers.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class ConsentPropertyTest {
    private static final String SEED_PROPERTY = "optline.property.seed";
    /** One seed for the whole class, so that one number replays both stores. */
    private static final long SEED = seed();

    /** Where the consents, queues and idempotency records live, and how much traffic each carries. */
    protected interface StoreKind {
        /** The name in the report, and part of the seed of the runs. */
        String name();

        /** Issue 4: every store must carry 10 000 submissions on its own. */
        default int minimumSubmissions() {
            return 10_000;
        }

        /** Steps per run: fewer, longer runs where every change is an fsync. */
        int stepsPerRun();

        /** A fresh engine in a fresh directory. */
        StorageEngine open(Path directory, InstantSource clock);
    }

    /** The store this class runs the property on. */
    protected abstract StoreKind kind();

    // ---------------------------------------------------------------- the world

    /** Few recipients and businesses, so that consent changes and submissions collide often. */
    private static final List<String> RECIPIENTS =
            List.of("+12025550142", "+12025550143", "+447911123456", "+12025550144");
    private static final List<Business> BUSINESSES = List.of(
            business("acme-bank"), business("sky-air"), business("corner-shop"));

    /** A text of the fixed list, with the category the sender declares and the one the classifier must give it. */
    record Text(String body, Category declared, Category effective) {
        boolean isReclassified() {
            return declared != effective;
        }
    }

    private static final List<Text> TEXTS = List.of(
            // Plain transactional alerts stay TRANSACTIONAL.
            new Text("Your balance is $1,234.56", Category.TRANSACTIONAL, Category.TRANSACTIONAL),
            new Text("Your flight BA117 to Lisbon now departs from gate 22", Category.TRANSACTIONAL,
                    Category.TRANSACTIONAL),
            new Text("Your parcel was delivered to your front door", Category.TRANSACTIONAL, Category.TRANSACTIONAL),
            new Text("Your statement is ready at https://bank.example/statements", Category.TRANSACTIONAL,
                    Category.TRANSACTIONAL),
            // One-time codes are AUTHENTICATION, declared so or not; same consent class as alerts.
            new Text("Your verification code is 482913", Category.TRANSACTIONAL, Category.AUTHENTICATION),
            new Text("Use code 7731 to approve your payment", Category.TRANSACTIONAL, Category.AUTHENTICATION),
            new Text("482913 is your one time passcode, do not share it", Category.AUTHENTICATION,
                    Category.AUTHENTICATION),
            // Offers declared TRANSACTIONAL are reclassified MARKETING: the stricter class decides.
            new Text("Spring sale: 20% off all savings accounts", Category.TRANSACTIONAL, Category.MARKETING),
            new Text("Book now and get a free gift with your next stay", Category.TRANSACTIONAL, Category.MARKETING),
            new Text("Our newsletter: what is new this month", Category.TRANSACTIONAL, Category.MARKETING),
            new Text("Your verification code is 551902, and 30% off your next order", Category.TRANSACTIONAL,
                    Category.MARKETING),
            // Declared MARKETING stays MARKETING, whatever the words.
            new Text("Hi Sam, our spring rates are here until Friday", Category.MARKETING, Category.MARKETING),
            new Text("Your balance is $10.00, talk to us about savings", Category.MARKETING, Category.MARKETING),
            new Text("Your verification code is 551902", Category.MARKETING, Category.MARKETING));

    private static Business business(String id) {
        return new Business(id, List.of(Credential.ofSecret("olk_" + id)), 1_000_000, Tier.UNLIMITED,
                Quality.GREEN, Map.of());
    }

    private static PhoneNumber phone(int recipient) {
        return PhoneNumber.parse(RECIPIENTS.get(recipient)).orElseThrow();
    }

    private static String label(int recipient) {
        return "r" + recipient;
    }

    // ---------------------------------------------------------------- steps (pure data)

    /** One step of a run; {@code id} is its index in the generated run and names its texts and keys. */
    sealed interface Step permits ConsentStep, SubmitStep, AdvanceStep {
        int id();
    }

    /** A consent change; {@code business} is -1 for the recipient-wide MARKETING_OFF and MARKETING_ON. */
    record ConsentStep(int id, int recipient, int business, ConsentAction action, ConsentClass consentClass)
            implements Step {
        @Override
        public String toString() {
            String who = business < 0 ? "every business" : BUSINESSES.get(business).id();
            return "#" + id + " consent " + action + (consentClass == null ? "" : " " + consentClass)
                    + " " + label(recipient) + " / " + who;
        }
    }

    /** One message of a submission. */
    record Message(int recipient, int text) {}

    /** A submission of one or more messages from one business. */
    record SubmitStep(int id, int business, List<Message> messages) implements Step {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("#" + id + " submit from " + BUSINESSES.get(business).id() + ":");
            for (Message m : messages) {
                Text text = TEXTS.get(m.text());
                s.append(" [").append(label(m.recipient())).append(" text ").append(m.text()).append(' ')
                        .append(text.declared()).append("→").append(text.effective()).append(']');
            }
            return s.toString();
        }
    }

    /** Time passes: a millisecond between steps, now and then more than the 24 h windows. */
    record AdvanceStep(int id, Duration by) implements Step {
        @Override
        public String toString() {
            return "#" + id + " clock +" + by;
        }
    }

    private static List<Step> generateRun(Random random, int steps) {
        List<Step> run = new ArrayList<>(steps);
        for (int id = 0; id < steps; id++) {
            int dice = random.nextInt(100);
            if (dice < 2) {
                run.add(new AdvanceStep(id, Duration.ofHours(25)));
            } else if (dice < 42) {
                run.add(randomConsent(random, id));
            } else {
                int business = random.nextInt(BUSINESSES.size());
                int size = 1 + random.nextInt(4);
                List<Message> messages = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    messages.add(new Message(random.nextInt(RECIPIENTS.size()), random.nextInt(TEXTS.size())));
                }
                run.add(new SubmitStep(id, business, List.copyOf(messages)));
            }
        }
        return run;
    }

    private static ConsentStep randomConsent(Random random, int id) {
        int recipient = random.nextInt(RECIPIENTS.size());
        int business = random.nextInt(BUSINESSES.size());
        ConsentClass consentClass = random.nextBoolean() ? ConsentClass.TRANSACTIONAL : ConsentClass.MARKETING;
        // Opt-ins weigh most, so that acceptances are common and every refusal has something to undo.
        int dice = random.nextInt(100);
        if (dice < 40) {
            return new ConsentStep(id, recipient, business, ConsentAction.OPT_IN, consentClass);
        } else if (dice < 58) {
            return new ConsentStep(id, recipient, business, ConsentAction.OPT_OUT, consentClass);
        } else if (dice < 66) {
            return new ConsentStep(id, recipient, business, ConsentAction.BLOCK, null);
        } else if (dice < 80) {
            return new ConsentStep(id, recipient, business, ConsentAction.UNBLOCK, null);
        } else if (dice < 88) {
            return new ConsentStep(id, recipient, -1, ConsentAction.MARKETING_OFF, null);
        } else {
            return new ConsentStep(id, recipient, -1, ConsentAction.MARKETING_ON, null);
        }
    }

    // ---------------------------------------------------------------- the reference model

    /** SPEC §2–3 consent, and nothing else, in a few maps. */
    static final class ReferenceModel {
        enum Said { ABSENT, OPTED_IN, OPTED_OUT }

        record Pair(int recipient, int business) {}

        /** The model's answer and the rule that gave it. */
        record Verdict(Reason reason, String rule) {}

        private final Map<Pair, Said> transactional = new HashMap<>();
        private final Map<Pair, Said> marketing = new HashMap<>();
        private final Set<Pair> blocked = new HashSet<>();
        private final Set<Integer> marketingOffEverywhere = new HashSet<>();

        void apply(ConsentStep step) {
            Pair pair = new Pair(step.recipient(), step.business());
            switch (step.action()) {
                case OPT_IN -> stateOf(step.consentClass()).put(pair, Said.OPTED_IN);
                case OPT_OUT -> stateOf(step.consentClass()).put(pair, Said.OPTED_OUT);
                case BLOCK -> blocked.add(pair);
                case UNBLOCK -> blocked.remove(pair);
                case MARKETING_OFF -> marketingOffEverywhere.add(step.recipient());
                case MARKETING_ON -> marketingOffEverywhere.remove(step.recipient());
            }
        }

        private Map<Pair, Said> stateOf(ConsentClass consentClass) {
            return consentClass == ConsentClass.MARKETING ? marketing : transactional;
        }

        /** Consent for a message of the effective category: the first rule that refuses decides. */
        Verdict decide(int recipient, int business, Category effective) {
            Pair pair = new Pair(recipient, business);
            boolean isMarketing = effective == Category.MARKETING;
            if (blocked.contains(pair)) {
                return new Verdict(Reason.BLOCKED, "blocked");
            }
            if (isMarketing && marketingOffEverywhere.contains(recipient)) {
                return new Verdict(Reason.OPTED_OUT, "marketing off for every business");
            }
            Said said = (isMarketing ? marketing : transactional).getOrDefault(pair, Said.ABSENT);
            return switch (said) {
                case OPTED_OUT -> new Verdict(Reason.OPTED_OUT, "opted out");
                case OPTED_IN -> new Verdict(Reason.ACCEPTED, "opted in");
                case ABSENT -> new Verdict(Reason.NOT_OPTED_IN, "absent");
            };
        }
    }

    private static final Set<Reason> CONSENT_REFUSALS = Set.of(Reason.BLOCKED, Reason.OPTED_OUT, Reason.NOT_OPTED_IN);

    // ---------------------------------------------------------------- the gateway under test

    /** A pipeline over one kind of store, fresh for each run. */
    private static final class Gateway implements AutoCloseable {
        final MutableClock clock = new MutableClock();
        final ConsentStore consents;
        final Inbox queues;
        final AdmissionPipeline pipeline;
        private final StorageEngine engine;

        Gateway(StoreKind kind, Path directory, long cacheEntries) {
            engine = kind.open(directory, clock);
            queues = engine.inbox();
            IdempotencyWindow idempotency = new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW,
                    IdempotencyWindow.DEFAULT_MAXIMUM_ENTRIES, engine.idempotency());
            consents = new CachedConsentStore(engine.consents(), cacheEntries, engine.consentChanges());
            // Caps no run can reach: only consent may refuse.
            AntiSpamPolicy noCaps = new AntiSpamPolicy(Integer.MAX_VALUE, Integer.MAX_VALUE,
                    AntiSpamPolicy.DEFAULT_WINDOW, AntiSpamPolicy.DEFAULT_TRACKED_RECIPIENTS);
            pipeline = new AdmissionPipeline(AdmissionPolicy.DEFAULTS, DeliveryPolicy.DEFAULTS, clock, consents, engine.deliveryLog(),
                    idempotency, new AntiSpamLimits(noCaps, clock), new Classifier(), Runnable::run,
                    AdmissionListener.NONE);
        }

        @Override
        public void close() {
            engine.close();
        }
    }

    /** What went wrong at one step, and for which (recipient, business) when one is concerned. */
    record Failure(int stepId, String kind, String detail, int recipient, int business) {}

    /** Counts over all runs of one store, to show what the runs covered. */
    static final class Stats {
        int runs;
        int steps;
        int consentChanges;
        int submissions;
        final Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        final Map<Category, Integer> categories = new EnumMap<>(Category.class);
        final Map<String, Integer> rules = new TreeMap<>();
        int reclassified;

        void count(Reason reason, Category category, String rule, boolean wasReclassified) {
            submissions++;
            reasons.merge(reason, 1, Integer::sum);
            categories.merge(category, 1, Integer::sum);
            rules.merge(rule, 1, Integer::sum);
            if (wasReclassified) {
                reclassified++;
            }
        }
    }

    @TempDir
    Path temp;

    private final AtomicInteger directories = new AtomicInteger();

    private Path freshDirectory() {
        return temp.resolve("store-" + directories.incrementAndGet());
    }

    // ---------------------------------------------------------------- the property

    @Test
    void gatewayNeverDisagreesWithTheConsentModel() {
        StoreKind kind = kind();
        long seed = SEED;
        String replay = "seed " + seed + " (replay: -D" + SEED_PROPERTY + "=" + seed + ")";
        System.out.println("ConsentPropertyTest[" + kind.name() + "] " + replay);
        Random master = new Random(seed ^ kind.name().hashCode());
        Stats stats = new Stats();
        long started = System.nanoTime();

        while (stats.submissions < kind.minimumSubmissions()) {
            int run = stats.runs++;
            long cacheEntries = switch (master.nextInt(3)) {
                case 0 -> 1;   // every lookup evicts: loads race invalidations constantly
                case 1 -> 8;
                default -> 10_000;
            };
            List<Step> steps = generateRun(new Random(master.nextLong()), kind.stepsPerRun());
            List<String> log = new ArrayList<>();
            Optional<Failure> failure = execute(kind, steps, cacheEntries, stats, log);
            if (failure.isPresent()) {
                throw new AssertionError(report(kind, replay, run, cacheEntries, steps, failure.get(), log));
            }
        }

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("ConsentPropertyTest[%s] %s: %d runs, %d steps, %d consent changes, %d submissions"
                        + " checked in %d ms%n  reasons %s%n  categories %s (%d reclassified)%n  model rules %s%n",
                kind.name(), replay, stats.runs, stats.steps, stats.consentChanges, stats.submissions, millis,
                stats.reasons, stats.categories, stats.reclassified, stats.rules);

        assertThat(stats.submissions).isGreaterThanOrEqualTo(kind.minimumSubmissions());
        // The runs must have gone through every rule of the model, or they prove little.
        assertThat(stats.rules).as("model rules covered").containsOnlyKeys(
                "blocked", "marketing off for every business", "opted out", "opted in", "absent");
        assertThat(stats.rules.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(10));
        assertThat(stats.categories.keySet()).containsExactlyInAnyOrder(Category.values());
        assertThat(stats.reclassified).isPositive();
    }

    private static long seed() {
        String property = System.getProperty(SEED_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Long.parseLong(property.strip());
        }
        return new Random().nextLong();
    }

    /**
     * Runs steps on a fresh gateway and a fresh model, checking every submission; the first
     * disagreement ends the run. {@code stats} and {@code log} may be null (when shrinking).
     */
    private Optional<Failure> execute(StoreKind kind, List<Step> steps, long cacheEntries, Stats stats,
                                      List<String> log) {
        ReferenceModel model = new ReferenceModel();
        // Per recipient, the message ids the gateway accepted, in order: what its queue must hold.
        Map<Integer, List<String>> accepted = new HashMap<>();
        try (Gateway gateway = new Gateway(kind, freshDirectory(), cacheEntries)) {
            for (Step step : steps) {
                gateway.clock.advance(Duration.ofMillis(1));
                if (stats != null) {
                    stats.steps++;
                }
                if (log != null) {
                    log.add(step.toString());
                }
                Optional<Failure> failure = Optional.empty();
                if (step instanceof AdvanceStep advance) {
                    gateway.clock.advance(advance.by());
                } else if (step instanceof ConsentStep change) {
                    if (stats != null) {
                        stats.consentChanges++;
                    }
                    failure = applyConsent(gateway, model, change);
                } else if (step instanceof SubmitStep submit) {
                    failure = submit(gateway, model, submit, accepted, stats, log);
                }
                if (failure.isPresent()) {
                    return failure;
                }
            }
            return checkQueues(gateway, accepted, steps.isEmpty() ? -1 : steps.get(steps.size() - 1).id());
        }
    }

    private static Optional<Failure> applyConsent(Gateway gateway, ReferenceModel model, ConsentStep step) {
        String businessId = step.business() < 0 ? ConsentKey.EVERY_BUSINESS : BUSINESSES.get(step.business()).id();
        ConsentChange change = new ConsentChange(phone(step.recipient()), businessId, step.action(),
                step.consentClass(), ConsentSource.APP, "v1", gateway.clock.instant());
        try {
            // The change is acknowledged: every submission after this line must obey it.
            gateway.consents.apply(change).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return Optional.of(new Failure(step.id(), "consent change not acknowledged within 30 s", "",
                    step.recipient(), step.business()));
        } catch (Exception e) {
            return Optional.of(new Failure(step.id(), "consent change failed", e.toString(),
                    step.recipient(), step.business()));
        }
        model.apply(step);
        return Optional.empty();
    }

    private static Optional<Failure> submit(Gateway gateway, ReferenceModel model, SubmitStep step,
                                            Map<Integer, List<String>> accepted, Stats stats, List<String> log) {
        Business business = BUSINESSES.get(step.business());
        List<Submission> submissions = new ArrayList<>(step.messages().size());
        for (int i = 0; i < step.messages().size(); i++) {
            Message m = step.messages().get(i);
            Text text = TEXTS.get(m.text());
            // A unique suffix: no DUPLICATE_CONTENT, and nothing the classifier reads (not a number, not a code word).
            String body = text.body() + " (ref s" + step.id() + "m" + i + ")";
            submissions.add(Submission.text("prop-" + step.id() + "-" + i, RECIPIENTS.get(m.recipient()),
                    text.declared(), body));
        }
        List<Outcome> outcomes;
        try {
            outcomes = gateway.pipeline.admit(business, submissions).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return Optional.of(new Failure(step.id(), "submission not answered within 30 s", "", -1, step.business()));
        } catch (Exception e) {
            return Optional.of(new Failure(step.id(), "submission failed", e.toString(), -1, step.business()));
        }
        if (outcomes.size() != submissions.size()) {
            return Optional.of(new Failure(step.id(), "wrong number of outcomes",
                    outcomes.size() + " for " + submissions.size() + " messages", -1, step.business()));
        }
        for (int i = 0; i < outcomes.size(); i++) {
            Message m = step.messages().get(i);
            Text text = TEXTS.get(m.text());
            Outcome outcome = outcomes.get(i);
            ReferenceModel.Verdict expected = model.decide(m.recipient(), step.business(), text.effective());
            Reason actual = outcome.reason();
            String detail = "message " + i + " (" + label(m.recipient()) + ", text " + m.text() + " declared "
                    + text.declared() + ", effective " + text.effective() + "): gateway " + actual
                    + (outcome.detail().isEmpty() ? "" : " (\"" + outcome.detail() + "\")")
                    + ", model " + expected.reason() + " (" + expected.rule() + ")";
            if (log != null) {
                log.add("    → " + label(m.recipient()) + ": gateway " + actual + ", model " + expected.reason());
            }
            Failure failure = null;
            if (actual != Reason.ACCEPTED && !CONSENT_REFUSALS.contains(actual)) {
                failure = new Failure(step.id(), "SETUP: a refusal other than consent (the setup must rule it out)",
                        detail, m.recipient(), step.business());
            } else if (actual == Reason.ACCEPTED && expected.reason() != Reason.ACCEPTED) {
                failure = new Failure(step.id(), "the gateway ACCEPTED what the model refuses", detail,
                        m.recipient(), step.business());
            } else if (actual != Reason.ACCEPTED && expected.reason() == Reason.ACCEPTED) {
                failure = new Failure(step.id(), "the gateway refused for a consent reason what the model accepts",
                        detail, m.recipient(), step.business());
            } else if (actual != expected.reason()) {
                failure = new Failure(step.id(), "the gateway gave another consent reason than the model", detail,
                        m.recipient(), step.business());
            } else if (outcome.category() != text.effective()) {
                failure = new Failure(step.id(), "the outcome's category is not the effective category",
                        detail + "; outcome category " + outcome.category(), m.recipient(), step.business());
            } else if (outcome.reclassified() != text.isReclassified()) {
                failure = new Failure(step.id(), "the outcome's reclassified flag is wrong",
                        detail + "; reclassified " + outcome.reclassified(), m.recipient(), step.business());
            } else if (outcome.duplicate() || !outcome.clientMessageId().equals(submissions.get(i).clientMessageId())) {
                failure = new Failure(step.id(), "the outcome is not this message's own",
                        detail + "; " + outcome, m.recipient(), step.business());
            } else if (outcome.isAccepted() != (outcome.messageId() != null)) {
                failure = new Failure(step.id(), "message_id set on a refusal or missing on an acceptance",
                        detail, m.recipient(), step.business());
            }
            if (failure != null) {
                return Optional.of(failure);
            }
            if (outcome.isAccepted()) {
                accepted.computeIfAbsent(m.recipient(), r -> new ArrayList<>()).add(outcome.messageId());
            }
            if (stats != null) {
                stats.count(actual, outcome.category(), expected.rule(), outcome.reclassified());
            }
        }
        return Optional.empty();
    }

    /** Every accepted message is queued, in acceptance order, and nothing else is. */
    private static Optional<Failure> checkQueues(Gateway gateway, Map<Integer, List<String>> accepted, int lastStep) {
        for (int recipient = 0; recipient < RECIPIENTS.size(); recipient++) {
            List<String> queued = gateway.queues.peek(phone(recipient), 1_000_000).join().stream()
                    .map(QueuedMessage::messageId).toList();
            List<String> expected = accepted.getOrDefault(recipient, List.of());
            if (!queued.equals(expected)) {
                return Optional.of(new Failure(lastStep, "the queue does not hold exactly the accepted messages",
                        label(recipient) + ": " + queued.size() + " queued, " + expected.size() + " accepted",
                        recipient, -1));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- reporting and shrinking

    private String report(StoreKind kind, String replay, int run, long cacheEntries, List<Step> steps,
                          Failure failure, List<String> log) {
        StringBuilder s = new StringBuilder();
        s.append("Consent property violated on ").append(kind).append(", ").append(replay).append(", run ")
                .append(run).append(" (consent cache of ").append(cacheEntries).append(" entries), step #")
                .append(failure.stepId()).append(":\n  ").append(failure.kind()).append("\n  ")
                .append(failure.detail()).append('\n');
        s.append("History of ").append(failure.recipient() < 0 ? "the business" : label(failure.recipient()))
                .append(failure.business() < 0 ? "" : " / " + BUSINESSES.get(failure.business()).id())
                .append(" (its consent changes, its recipient-wide changes, its submissions):\n");
        for (Step step : steps) {
            if (step.id() > failure.stepId()) {
                break;
            }
            if (concerns(step, failure)) {
                s.append("  ").append(step).append('\n');
            }
        }
        List<Step> shrunk = shrink(kind, steps, cacheEntries, failure);
        s.append("A shrunk sequence that still fails the same way (").append(shrunk.size()).append(" of ")
                .append(failure.stepId() + 1).append(" steps, fresh gateway, 1 ms between steps):\n");
        for (Step step : shrunk) {
            s.append("  ").append(step).append('\n');
        }
        int shown = Math.min(log.size(), 80);
        s.append("The run as executed, with answers (its last ").append(shown).append(" lines):\n");
        for (String line : log.subList(log.size() - shown, log.size())) {
            s.append("  ").append(line).append('\n');
        }
        return s.toString();
    }

    private static boolean concerns(Step step, Failure failure) {
        if (step instanceof ConsentStep change) {
            return (failure.recipient() < 0 || change.recipient() == failure.recipient())
                    && (change.business() < 0 || failure.business() < 0 || change.business() == failure.business());
        }
        if (step instanceof SubmitStep submit) {
            return (failure.business() < 0 || submit.business() == failure.business())
                    && submit.messages().stream().anyMatch(
                            m -> failure.recipient() < 0 || m.recipient() == failure.recipient());
        }
        return true;
    }

    /**
     * Removes steps (chunks first, then single steps, then single messages of a batch) as long as
     * a fresh run still fails with the same kind of failure; bounded in time.
     */
    private List<Step> shrink(StoreKind kind, List<Step> steps, long cacheEntries, Failure original) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Step> current = new ArrayList<>();
        for (Step step : steps) {
            if (step.id() <= original.stepId()) {
                current.add(step);
            }
        }
        boolean progress = true;
        while (progress && System.nanoTime() < deadline) {
            progress = false;
            for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && System.nanoTime() < deadline; chunk /= 2) {
                for (int from = 0; from + chunk <= current.size() && System.nanoTime() < deadline; ) {
                    List<Step> candidate = new ArrayList<>(current.subList(0, from));
                    candidate.addAll(current.subList(from + chunk, current.size()));
                    if (failsLike(kind, candidate, cacheEntries, original)) {
                        current = candidate;
                        progress = true;
                    } else {
                        from += chunk;
                    }
                }
            }
            for (int i = 0; i < current.size() && System.nanoTime() < deadline; i++) {
                if (current.get(i) instanceof SubmitStep submit && submit.messages().size() > 1) {
                    for (int m = 0; m < submit.messages().size() && submit.messages().size() > 1; ) {
                        List<Message> fewer = new ArrayList<>(submit.messages());
                        fewer.remove(m);
                        List<Step> candidate = new ArrayList<>(current);
                        candidate.set(i, new SubmitStep(submit.id(), submit.business(), List.copyOf(fewer)));
                        if (failsLike(kind, candidate, cacheEntries, original)) {
                            current = candidate;
                            submit = (SubmitStep) candidate.get(i);
                            progress = true;
                        } else {
                            m++;
                        }
                    }
                }
            }
        }
        return current;
    }

    private boolean failsLike(StoreKind kind, List<Step> steps, long cacheEntries, Failure original) {
        try {
            return execute(kind, steps, cacheEntries, null, null)
                    .filter(f -> f.kind().equals(original.kind()))
                    .isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
