package org.optline.loadtest;

import java.security.SecureRandom;
import java.util.Locale;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;

/**
 * Makes the messages of a run: for each sequence number a transactional balance alert with a
 * client_message_id that no other run uses, so the gateway's idempotency window never answers
 * a run with the outcomes of an earlier one.
 */
final class BalanceAlerts {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String runId;
    private final Recipients recipients;

    BalanceAlerts(String runId, Recipients recipients) {
        this.runId = runId;
        this.recipients = recipients;
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
        return Message.newBuilder()
                .setClientMessageId(runId + "-" + sequence)
                .setRecipient(recipients.forMessage(sequence))
                .setDeclaredCategory(Category.TRANSACTIONAL)
                .setText(text(sequence))
                .build();
    }

    /**
     * A balance alert whose amount varies with the sequence, so the gateway sees texts as a
     * bank sends them rather than one string repeated; no word in it reads as selling or as a
     * one-time code, so it stays TRANSACTIONAL.
     */
    static String text(long sequence) {
        long cents = Math.floorMod(sequence * 7_919L, 1_000_000L);
        return String.format(Locale.ROOT, "Your balance is %d.%02d EUR", cents / 100, cents % 100);
    }
}
