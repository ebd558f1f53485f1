package org.optline.loadtest;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Pattern;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;

/**
 * Makes message number {@code sequence} of a run, the same every time it is asked: its kind
 * and whether it is one of the refused shares follow from a hash of the sequence, so lanes on
 * different threads need no shared state. Every client_message_id starts with the run's id,
 * so the gateway's idempotency window never answers a run with an earlier run's outcomes.
 *
 * <p>Messages are written straight into protobuf's wire format ({@link #write}), with no
 * builder, string or formatter on the way: the lanes send millions a second.
 */
final class RunMessages {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Message's field numbers (message.proto). */
    private static final int CLIENT_MESSAGE_ID = 1;
    private static final int RECIPIENT = 2;
    private static final int DECLARED_CATEGORY = 3;
    private static final int TEXT = 4;
    /** First guesses at sizes; the writers grow when they must. */
    private static final int MESSAGE_BYTES = 160;
    private static final int TEXT_BYTES = 96;
    /** A run id is a short slug: written into every client_message_id, it must be ASCII. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private static final byte[] BALANCE_1 = ascii("Your balance is ");
    private static final byte[] BALANCE_2 = ascii(" EUR");
    private static final byte[] FLIGHT_1 = ascii("Flight OL");
    private static final byte[] FLIGHT_2 = ascii(" to Lisbon now departs at ");
    private static final byte[] FLIGHT_3 = ascii(" from gate B");
    private static final byte[] CODE_1 = ascii("Your one-time code is ");
    private static final byte[] CODE_2 = ascii(". It expires in 10 minutes.");
    private static final byte[] OFFER_1 = ascii("Spring offer ");
    private static final byte[] OFFER_2 = ascii(": 20% off your next booking until Sunday");
    /** Hash outcomes are mapped onto [0, 100) in steps this fine. */
    private static final double PERCENT_SCALE = 100.0 / (1L << 53);

    private final String runId;
    /** The run id and the dash after it, the start of every client_message_id of the run. */
    private final byte[] runIdDash;
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
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("a run id is ASCII letters, digits, '.', '_' or '-': " + runId);
        }
        this.runId = runId;
        this.runIdDash = ascii(runId + "-");
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

    /**
     * Message number {@code sequence} of the run, read back from its encoding: what
     * {@link #write} sends, as an object, for the inbox reader and the tests.
     */
    Message message(long sequence) {
        WireWriter out = new WireWriter(MESSAGE_BYTES);
        write(sequence, out);
        try {
            return Message.parseFrom(out.toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the harness wrote a message protobuf cannot read", e);
        }
    }

    /**
     * Writes the fields of message number {@code sequence} of the run in protobuf's wire format,
     * the bytes of {@code Message.toByteArray()}: what a lane puts inside its request. The same
     * sequence always gives the same bytes.
     */
    void write(long sequence, WireWriter out) {
        double roll = percentRoll(sequence, 0x9E3779B97F4A7C15L);
        double nonConsented = mix.nonConsentedPercent();
        double invalid = nonConsented + mix.invalidPercent();
        double duplicate = invalid + mix.duplicatePercent();
        if (roll < nonConsented) {
            regular(sequence, out, Refusal.NEVER_OPTED_IN);
        } else if (roll < invalid) {
            regular(sequence, out, Refusal.INVALID);
        } else if (roll < duplicate && sequence >= duplicateDistance) {
            // the earlier message exactly as it was sent, so the gateway sees a retry
            write(sequence - duplicateDistance, out);
        } else {
            regular(sequence, out, null);
        }
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

    /** The shares of messages that go to a number outside the seeded range, to be refused. */
    private enum Refusal { NEVER_OPTED_IN, INVALID }

    /**
     * A regular message: the kind follows from the sequence, and so does the recipient, unless
     * {@code refusal} sends it to a number outside the seeded range. Fields in protobuf's order.
     */
    private void regular(long sequence, WireWriter out, Refusal refusal) {
        MessageKind kind = kind(sequence);
        int id = out.beginField(CLIENT_MESSAGE_ID);
        out.ascii(runIdDash);
        out.decimal(sequence);
        out.endField(id);
        int recipient = out.beginField(RECIPIENT);
        if (refusal == Refusal.NEVER_OPTED_IN) {
            Recipients.writeNeverOptedIn(sequence, out);
        } else if (refusal == Refusal.INVALID) {
            Recipients.writeInvalid(sequence, out);
        } else if (kind == MessageKind.MARKETING) {
            // seed opts the even recipients in to marketing: send offers only to them
            recipients.write(recipients.indexFor(sequence) & ~1, out);
        } else {
            recipients.write(recipients.indexFor(sequence), out);
        }
        out.endField(recipient);
        Category category = switch (kind) {
            case BALANCE, FLIGHT -> Category.TRANSACTIONAL;
            case OTP -> Category.AUTHENTICATION;
            case MARKETING -> Category.MARKETING;
        };
        out.varintField(DECLARED_CATEGORY, category.getNumber());
        int text = out.beginField(TEXT);
        switch (kind) {
            case BALANCE -> writeBalanceAlert(sequence, out);
            case FLIGHT -> writeFlightChange(sequence, out);
            case OTP -> writeOneTimeCode(sequence, out);
            case MARKETING -> writeOffer(runIdDash, sequence, out);
        }
        out.endField(text);
    }

    /**
     * A balance alert whose amount varies with the sequence, so the gateway sees texts as a bank
     * sends them rather than one string repeated; no word in it reads as selling or as a code.
     */
    static String balanceAlert(long sequence) {
        WireWriter text = new WireWriter(TEXT_BYTES);
        writeBalanceAlert(sequence, text);
        return text.toAsciiString();
    }

    static String flightChange(long sequence) {
        WireWriter text = new WireWriter(TEXT_BYTES);
        writeFlightChange(sequence, text);
        return text.toAsciiString();
    }

    static String oneTimeCode(long sequence) {
        WireWriter text = new WireWriter(TEXT_BYTES);
        writeOneTimeCode(sequence, text);
        return text.toAsciiString();
    }

    /**
     * Differs per run and sequence, so that the same text never reaches one recipient twice
     * within a day (DUPLICATE_CONTENT), not even from the next run.
     */
    static String offer(String runId, long sequence) {
        WireWriter text = new WireWriter(TEXT_BYTES);
        writeOffer(ascii(runId + "-"), sequence, text);
        return text.toAsciiString();
    }

    /** "Your balance is 1234.56 EUR". */
    private static void writeBalanceAlert(long sequence, WireWriter out) {
        long cents = Math.floorMod(sequence * 7_919L, 1_000_000L);
        out.ascii(BALANCE_1);
        out.decimal(cents / 100);
        out.ascii('.');
        out.zeroPadded(cents % 100, 2);
        out.ascii(BALANCE_2);
    }

    /** "Flight OL0042 to Lisbon now departs at 07:05 from gate B3". */
    private static void writeFlightChange(long sequence, WireWriter out) {
        long minutes = Math.floorMod(sequence * 37L, 24L * 60);
        out.ascii(FLIGHT_1);
        out.zeroPadded(Math.floorMod(sequence, 10_000L), 4);
        out.ascii(FLIGHT_2);
        out.zeroPadded(minutes / 60, 2);
        out.ascii(':');
        out.zeroPadded(minutes % 60, 2);
        out.ascii(FLIGHT_3);
        out.decimal(Math.floorMod(sequence, 40L) + 1);
    }

    /** "Your one-time code is 123456. It expires in 10 minutes." */
    private static void writeOneTimeCode(long sequence, WireWriter out) {
        out.ascii(CODE_1);
        out.zeroPadded(Math.floorMod(mix64(sequence), 1_000_000L), 6);
        out.ascii(CODE_2);
    }

    /** "Spring offer lt-…-42: 20% off your next booking until Sunday". */
    private static void writeOffer(byte[] runIdDash, long sequence, WireWriter out) {
        out.ascii(OFFER_1);
        out.ascii(runIdDash);
        out.decimal(sequence);
        out.ascii(OFFER_2);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
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
