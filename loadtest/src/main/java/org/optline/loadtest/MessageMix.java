package org.optline.loadtest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a run sends, as shares: the kinds of messages a business sends (by weight), and the
 * percentages of submissions that must be refused — to recipients who never opted in, to
 * numbers that are not numbers, and repeats of an earlier message's client_message_id.
 *
 * @param weights the weight of each kind; only the ratios matter
 * @param nonConsentedPercent submissions to a recipient who never opted in
 * @param invalidPercent submissions to an invalid number
 * @param duplicatePercent submissions that repeat an earlier message (same client_message_id)
 */
record MessageMix(Map<MessageKind, Integer> weights, double nonConsentedPercent, double invalidPercent,
        double duplicatePercent) {

    /** A day of a bank's traffic: mostly alerts and codes, some offers, and a few of each mistake. */
    static final String DEFAULT_KINDS = "balance=40,flight=25,otp=20,marketing=15";
    static final double DEFAULT_NON_CONSENTED = 2;
    static final double DEFAULT_INVALID = 1;
    static final double DEFAULT_DUPLICATES = 1;

    MessageMix {
        weights = Map.copyOf(weights);
        if (weights.values().stream().anyMatch(w -> w < 0) || weights.values().stream().mapToInt(w -> w).sum() <= 0) {
            throw new IllegalArgumentException("--mix needs at least one kind with a positive weight");
        }
        checkPercent("--non-consented", nonConsentedPercent);
        checkPercent("--invalid", invalidPercent);
        checkPercent("--duplicates", duplicatePercent);
        if (nonConsentedPercent + invalidPercent + duplicatePercent > 100) {
            throw new IllegalArgumentException("--non-consented, --invalid and --duplicates add up to more than 100%");
        }
    }

    /** Only balance alerts, every one to an opted-in recipient: what throughput figures are measured with. */
    static MessageMix balanceAlertsOnly() {
        return new MessageMix(Map.of(MessageKind.BALANCE, 1), 0, 0, 0);
    }

    /**
     * Parses kinds and weights such as {@code balance=40,flight=25,otp=20,marketing=15}; a kind
     * left out has weight 0.
     */
    static Map<MessageKind, Integer> parseWeights(String text) {
        Map<MessageKind, Integer> weights = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] pair = part.trim().split("=", -1);
            if (pair.length != 2) {
                throw new IllegalArgumentException("--mix takes kind=weight pairs, such as " + DEFAULT_KINDS
                        + ", not '" + part.trim() + "'");
            }
            MessageKind kind = MessageKind.named(pair[0].trim());
            int weight;
            try {
                weight = Integer.parseInt(pair[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix: the weight of " + pair[0].trim() + " must be a whole number");
            }
            if (weight < 0 || weight > 1_000_000) {
                throw new IllegalArgumentException("--mix: the weight of " + pair[0].trim() + " must be 0 to 1000000");
            }
            if (weights.put(kind, weight) != null) {
                throw new IllegalArgumentException("--mix names " + pair[0].trim() + " twice");
            }
        }
        return weights;
    }

    /** The mix as the option would give it, for reports. */
    String describe() {
        StringBuilder out = new StringBuilder();
        for (MessageKind kind : MessageKind.values()) {
            int weight = weights.getOrDefault(kind, 0);
            if (weight > 0) {
                out.append(out.length() == 0 ? "" : ",").append(kind.optionName()).append('=').append(weight);
            }
        }
        return String.format(Locale.ROOT, "%s; non-consented %s%%, invalid %s%%, duplicates %s%%", out,
                Latency.trim(nonConsentedPercent), Latency.trim(invalidPercent), Latency.trim(duplicatePercent));
    }

    private static void checkPercent(String option, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(option + " must be a percentage from 0 to 100, not " + value);
        }
    }
}
