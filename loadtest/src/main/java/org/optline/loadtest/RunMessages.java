package org.optline.loadtest;

import java.security.SecureRandom;
import java.util.Locale;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;

/**
 * Makes message number {@code sequence} of a run, the same every time it is asked: its kind
 * and whether it is one of the refused shares follow from a hash of the sequence, so lanes on
 * different threads need no shared state. Every client_message_id starts with the run's id,
 * so the gateway's idempotency window never answers a run with an earlier run's outcomes.
 */
final class RunMessages {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Hash outcomes are mapped onto [0, 100) in steps this fine. */
    private static final double PERCENT_SCALE = 100.0 / (1L << 53);

    private final String runId;
    private final Recipients recipients;
    private final MessageMix mix;
    private final long duplicateDistance;
    private final MessageKind[] kinds;
    private final int[] cumulativeWeights;

    /**
     * {@code duplicateDistance}: a duplicate repeats the message this many sequence numbers
     * earlier, far enough back that the first one has been answered.
     */
    RunMessages(String runId, Recipients recipients, MessageMix mix, long duplicateDistance) {
        if (duplicateDistance < 1) {
            throw new IllegalArgumentException("duplicateDistance must be positive: " + duplicateDistance);
        }
        this.runId = runId;
        this.recipients = recipients;
        this.mix = mix;
        this.duplicateDistance = duplicateDistance;
        this.kinds = mix.weights().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey()).sorted().toArray(MessageKind[]::new);
        this.cumulativeWeights = new int[kinds.length];
        int sum = 0;
        for (int i = 0; i < kinds.length; i++) {
            sum += mix.weights().get(kinds[i]);
            cumulativeWeights[i] = sum;
        }
    }

    /** A run id that is unique in practice: the start time and some randomness, base 36. */
    static String newRunId() {
        return "lt-" + Long.toString(System.currentTimeMillis(), 36)
                + "-" + Integer.toString(RANDOM.nextInt(Integer.MAX_VALUE), 36);
    }

    String runId() {
        return runId;
    }

    /** Message number {@code sequence} of the run. */
    Message message(long sequence) {
        double roll = percentRoll(sequence, 0x9E3779B97F4A7C15L);
        double nonConsented = mix.nonConsentedPercent();
        double invalid = nonConsented + mix.invalidPercent();
        double duplicate = invalid + mix.duplicatePercent();
        if (roll < nonConsented) {
            return regular(sequence).setRecipient(Recipients.neverOptedIn(sequence)).build();
        }
        if (roll < invalid) {
            return regular(sequence).setRecipient(Recipients.invalid(sequence)).build();
        }
        if (roll < duplicate && sequence >= duplicateDistance) {
            // the earlier message exactly as it was sent, so the gateway sees a retry
            return message(sequence - duplicateDistance);
        }
        return regular(sequence).build();
    }

    /**
     * The seeded recipient that message {@code sequence} goes to, or -1 when it goes to a number
     * outside the seeded range (the non-consented and invalid shares).
     */
    int seededRecipient(long sequence) {
        double roll = percentRoll(sequence, 0x9E3779B97F4A7C15L);
        double invalid = mix.nonConsentedPercent() + mix.invalidPercent();
        if (roll < invalid) {
            return -1;
        }
        if (roll < invalid + mix.duplicatePercent() && sequence >= duplicateDistance) {
            return seededRecipient(sequence - duplicateDistance);
        }
        int recipient = recipients.indexFor(sequence);
        return kind(sequence) == MessageKind.MARKETING ? recipient & ~1 : recipient;
    }

    Recipients recipients() {
        return recipients;
    }

    /** The kind of message {@code sequence} when it is a regular one. */
    MessageKind kind(long sequence) {
        long pick = Math.floorMod(mix64(sequence ^ 0xC2B2AE3D27D4EB4FL), (long) cumulativeWeights[kinds.length - 1]);
        for (int i = 0; i < kinds.length; i++) {
            if (pick < cumulativeWeights[i]) {
                return kinds[i];
            }
        }
        throw new AssertionError("the weights add up to " + cumulativeWeights[kinds.length - 1]);
    }

    private Message.Builder regular(long sequence) {
        MessageKind kind = kind(sequence);
        int recipient = recipients.indexFor(sequence);
        Message.Builder message = Message.newBuilder().setClientMessageId(runId + "-" + sequence);
        switch (kind) {
            case BALANCE -> message.setDeclaredCategory(Category.TRANSACTIONAL).setText(balanceAlert(sequence));
            case FLIGHT -> message.setDeclaredCategory(Category.TRANSACTIONAL).setText(flightChange(sequence));
            case OTP -> message.setDeclaredCategory(Category.AUTHENTICATION).setText(oneTimeCode(sequence));
            case MARKETING -> {
                // seed opts the even recipients in to marketing: send offers only to them
                recipient = recipient & ~1;
                message.setDeclaredCategory(Category.MARKETING).setText(offer(runId, sequence));
            }
        }
        return message.setRecipient(recipients.get(recipient));
    }

    /**
     * A balance alert whose amount varies with the sequence, so the gateway sees texts as a bank
     * sends them rather than one string repeated; no word in it reads as selling or as a code.
     */
    static String balanceAlert(long sequence) {
        long cents = Math.floorMod(sequence * 7_919L, 1_000_000L);
        return String.format(Locale.ROOT, "Your balance is %d.%02d EUR", cents / 100, cents % 100);
    }

    static String flightChange(long sequence) {
        long minutes = Math.floorMod(sequence * 37L, 24L * 60);
        return String.format(Locale.ROOT, "Flight OL%04d to Lisbon now departs at %02d:%02d from gate B%d",
                Math.floorMod(sequence, 10_000L), minutes / 60, minutes % 60, Math.floorMod(sequence, 40L) + 1);
    }

    static String oneTimeCode(long sequence) {
        return String.format(Locale.ROOT, "Your one-time code is %06d. It expires in 10 minutes.",
                Math.floorMod(mix64(sequence), 1_000_000L));
    }

    /**
     * Differs per run and sequence, so that the same text never reaches one recipient twice
     * within a day (DUPLICATE_CONTENT), not even from the next run.
     */
    static String offer(String runId, long sequence) {
        return String.format(Locale.ROOT, "Spring offer %s-%d: 20%% off your next booking until Sunday", runId,
                sequence);
    }

    private static double percentRoll(long sequence, long salt) {
        return (mix64(sequence ^ salt) >>> 11) * PERCENT_SCALE;
    }

    /** SplitMix64's finaliser: a cheap, well-spread hash of a sequence number. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
