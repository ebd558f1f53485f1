package org.optline.loadtest;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;

/**
 * What happened to the messages of a run, counted as the answers arrive on the event loops:
 * the gateway's reason for each answered message, the messages that got no answer and why,
 * the requests answered, and problems with connections as a whole.
 */
final class Tally {
    private static final Reason[] REASONS = Reason.values();

    private final LongAdder[] outcomes = new LongAdder[REASONS.length];
    private final LongAdder requests = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final Causes unanswered = new Causes();
    private final Causes problems = new Causes();

    Tally() {
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = new LongAdder();
        }
    }

    /** One message answered with {@code reason}. */
    void answered(Reason reason) {
        answered(reason, 1);
    }

    /** {@code n} messages answered with {@code reason}. */
    void answered(Reason reason, long n) {
        // UNRECOGNIZED is a value of the enum too: a newer gateway's reason is still counted
        outcomes[reason.ordinal()].add(n);
    }

    /**
     * The per-message results of a request that carried {@code sent} messages; results missing
     * from the reply count as unanswered, and extra ones as a problem.
     */
    void answered(List<MessageResult> results, int sent) {
        int counted = Math.min(sent, results.size());
        for (int i = 0; i < counted; i++) {
            MessageResult result = results.get(i);
            answered(result.getReason());
            if (result.getDuplicate()) {
                duplicates.increment();
            }
        }
        unanswered("result missing", sent - counted);
        if (results.size() > sent) {
            problem("more results than messages");
        }
    }

    /**
     * The results of a request that carried {@code sent} messages, as counted from its answer;
     * like {@link #answered(List, int)}, missing results count as unanswered and extra ones as
     * a problem.
     */
    void answered(ResultCounts results, int sent) {
        results.addTo(this);
        int counted = Math.min(sent, results.results());
        unanswered("result missing", sent - counted);
        if (results.results() > sent) {
            problem("more results than messages");
        }
    }

    /** {@code n} of the answered messages were marked duplicate. */
    void duplicates(long n) {
        if (n > 0) {
            duplicates.add(n);
        }
    }

    /** A request got a reply, whatever it said. */
    void requestAnswered() {
        requests.increment();
    }

    /** {@code n} messages were sent but got no per-message answer, because of {@code cause}. */
    void unanswered(String cause, long n) {
        unanswered.add(cause, n);
    }

    /** Something went wrong with a connection as a whole: it could not connect, was refused. */
    void problem(String cause) {
        problems.add(cause, 1);
    }

    Counts snapshot() {
        Map<Reason, Long> byReason = new EnumMap<>(Reason.class);
        for (Reason reason : REASONS) {
            long count = outcomes[reason.ordinal()].sum();
            if (count > 0) {
                byReason.put(reason, count);
            }
        }
        return new Counts(Collections.unmodifiableMap(byReason), requests.sum(), duplicates.sum(),
                unanswered.snapshot(), problems.snapshot());
    }

    /**
     * The counts at one moment.
     *
     * @param outcomes answered messages by reason, only the reasons that occurred
     * @param requests requests that got a reply
     * @param duplicates answers marked duplicate: an earlier outcome returned again
     * @param unanswered messages sent without a per-message answer, by cause
     * @param problems connection-level problems, by cause
     */
    record Counts(
            Map<Reason, Long> outcomes,
            long requests,
            long duplicates,
            SortedMap<String, Long> unanswered,
            SortedMap<String, Long> problems) {

        long answered() {
            return outcomes.values().stream().mapToLong(Long::longValue).sum();
        }

        long unansweredTotal() {
            return unanswered.values().stream().mapToLong(Long::longValue).sum();
        }

        long count(Reason reason) {
            return outcomes.getOrDefault(reason, 0L);
        }

        /** These counts and {@code other}'s together. */
        Counts plus(Counts other) {
            Map<Reason, Long> byReason = new EnumMap<>(Reason.class);
            byReason.putAll(outcomes);
            other.outcomes.forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
            return new Counts(Collections.unmodifiableMap(byReason), requests + other.requests,
                    duplicates + other.duplicates, merge(unanswered, other.unanswered), merge(problems, other.problems));
        }

        /** These counts, with {@code other}'s problems added to their own. */
        Counts withProblemsOf(Counts other) {
            return new Counts(outcomes, requests, duplicates, unanswered, merge(problems, other.problems));
        }

        private static SortedMap<String, Long> merge(SortedMap<String, Long> a, SortedMap<String, Long> b) {
            SortedMap<String, Long> merged = new TreeMap<>(a);
            b.forEach((cause, n) -> merged.merge(cause, n, Long::sum));
            return Collections.unmodifiableSortedMap(merged);
        }
    }
}
