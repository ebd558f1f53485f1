package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;

class RunMessagesTest {
    private static final String RUN_ID = "lt-test";
    private static final int SEQUENCES = 100_000;
    private static final long DISTANCE = 1_000;

    /** An odd count, so the last recipient has an odd index that marketing must skip. */
    private final Recipients recipients = new Recipients(101);
    private final MessageMix mix = new MessageMix(MessageMix.parseWeights(MessageMix.DEFAULT_KINDS),
            MessageMix.DEFAULT_NON_CONSENTED, MessageMix.DEFAULT_INVALID, MessageMix.DEFAULT_DUPLICATES);
    private final RunMessages messages = new RunMessages(RUN_ID, recipients, mix, DISTANCE);

    @Test
    void theSameSequenceAlwaysGivesTheSameMessage() {
        RunMessages again = new RunMessages(RUN_ID, recipients, mix, DISTANCE);
        for (long sequence = 0; sequence < 5_000; sequence++) {
            assertThat(messages.message(sequence)).as("message %d", sequence)
                    .isEqualTo(messages.message(sequence))
                    .isEqualTo(again.message(sequence));
        }
    }

    @Test
    void clientIdsStartWithTheRunIdAndAreUniqueForRegularMessages() {
        Set<String> ids = new HashSet<>();
        for (long sequence = 0; sequence < 10_000; sequence++) {
            Message message = messages.message(sequence);
            assertThat(message.getClientMessageId()).startsWith(RUN_ID + "-");
            if (!isDuplicate(message, sequence)) {
                assertThat(ids.add(message.getClientMessageId())).as("id of message %d is new", sequence).isTrue();
            }
        }
    }

    @Test
    void kindsFollowTheirWeights() {
        Map<MessageKind, Integer> counts = new EnumMap<>(MessageKind.class);
        for (long sequence = 0; sequence < SEQUENCES; sequence++) {
            counts.merge(messages.kind(sequence), 1, Integer::sum);
        }
        // balance=40,flight=25,otp=20,marketing=15: the weights add up to 100
        assertThat(share(counts.get(MessageKind.BALANCE))).isCloseTo(40, within(1.0));
        assertThat(share(counts.get(MessageKind.FLIGHT))).isCloseTo(25, within(1.0));
        assertThat(share(counts.get(MessageKind.OTP))).isCloseTo(20, within(1.0));
        assertThat(share(counts.get(MessageKind.MARKETING))).isCloseTo(15, within(1.0));
    }

    @Test
    void aKindWithWeightZeroIsNeverChosen() {
        RunMessages noMarketing = new RunMessages(RUN_ID, recipients,
                new MessageMix(MessageMix.parseWeights("balance=1,otp=1,marketing=0"), 0, 0, 0), DISTANCE);
        for (long sequence = 0; sequence < 10_000; sequence++) {
            assertThat(noMarketing.kind(sequence)).isIn(MessageKind.BALANCE, MessageKind.OTP);
        }
    }

    @Test
    void nonConsentedInvalidAndDuplicateSharesComeOutAtTheirPercentages() {
        int nonConsented = 0;
        int invalid = 0;
        int duplicates = 0;
        for (long sequence = 0; sequence < SEQUENCES; sequence++) {
            Message message = messages.message(sequence);
            if (isDuplicate(message, sequence)) {
                duplicates++;
            } else if (message.getRecipient().startsWith("+447901")) {
                nonConsented++;
            } else if (message.getRecipient().startsWith("+999")) {
                invalid++;
            }
        }
        assertThat(share(nonConsented)).isCloseTo(MessageMix.DEFAULT_NON_CONSENTED, within(0.3));
        assertThat(share(invalid)).isCloseTo(MessageMix.DEFAULT_INVALID, within(0.3));
        assertThat(share(duplicates)).isCloseTo(MessageMix.DEFAULT_DUPLICATES, within(0.3));
    }

    @Test
    void aDuplicateIsExactlyTheMessageDuplicateDistanceEarlier() {
        int duplicates = 0;
        for (long sequence = DISTANCE; sequence < 20_000; sequence++) {
            Message message = messages.message(sequence);
            if (isDuplicate(message, sequence)) {
                duplicates++;
                Message earlier = messages.message(sequence - DISTANCE);
                assertThat(message).as("duplicate %d", sequence).isEqualTo(earlier);
                assertThat(message.getClientMessageId()).isEqualTo(earlier.getClientMessageId());
                assertThat(message.getRecipient()).isEqualTo(earlier.getRecipient());
                assertThat(message.getText()).isEqualTo(earlier.getText());
            }
        }
        assertThat(duplicates).isPositive();
    }

    @Test
    void thereAreNoDuplicatesBeforeTheDistance() {
        for (long sequence = 0; sequence < DISTANCE; sequence++) {
            assertThat(messages.message(sequence).getClientMessageId()).isEqualTo(RUN_ID + "-" + sequence);
        }
    }

    @Test
    void marketingGoesOnlyToEvenRecipientsAndIsDeclaredMarketing() {
        int marketing = 0;
        for (long sequence = 0; sequence < 20_000; sequence++) {
            Message message = messages.message(sequence);
            if (!isRegularToSeededRecipient(message, sequence) || messages.kind(sequence) != MessageKind.MARKETING) {
                continue;
            }
            marketing++;
            assertThat(message.getDeclaredCategory()).isEqualTo(Category.MARKETING);
            int index = Integer.parseInt(message.getRecipient().substring("+447900".length()));
            assertThat(index % 2).as("recipient index %d of marketing message %d", index, sequence).isZero();
            assertThat(index).isLessThan(recipients.count());
        }
        assertThat(marketing).isPositive();
    }

    @Test
    void otpsAreAuthenticationAndBalanceAndFlightAreTransactional() {
        for (long sequence = 0; sequence < 10_000; sequence++) {
            Message message = messages.message(sequence);
            if (!isRegularToSeededRecipient(message, sequence)) {
                continue;
            }
            switch (messages.kind(sequence)) {
                case OTP -> {
                    assertThat(message.getDeclaredCategory()).isEqualTo(Category.AUTHENTICATION);
                    assertThat(message.getText()).isEqualTo(RunMessages.oneTimeCode(sequence));
                }
                case BALANCE -> {
                    assertThat(message.getDeclaredCategory()).isEqualTo(Category.TRANSACTIONAL);
                    assertThat(message.getText()).isEqualTo(RunMessages.balanceAlert(sequence));
                }
                case FLIGHT -> {
                    assertThat(message.getDeclaredCategory()).isEqualTo(Category.TRANSACTIONAL);
                    assertThat(message.getText()).isEqualTo(RunMessages.flightChange(sequence));
                }
                case MARKETING -> assertThat(message.getDeclaredCategory()).isEqualTo(Category.MARKETING);
            }
        }
    }

    @Test
    void balanceAlertsOnlySendsBalanceAlertsToSeededRecipients() {
        RunMessages alerts = new RunMessages(RUN_ID, recipients, MessageMix.balanceAlertsOnly(), DISTANCE);
        for (long sequence = 0; sequence < 10_000; sequence++) {
            Message message = alerts.message(sequence);
            assertThat(message.getClientMessageId()).isEqualTo(RUN_ID + "-" + sequence);
            assertThat(message.getRecipient()).isEqualTo(recipients.forMessage(sequence));
            assertThat(message.getDeclaredCategory()).isEqualTo(Category.TRANSACTIONAL);
            assertThat(message.getText()).isEqualTo(RunMessages.balanceAlert(sequence));
        }
    }

    @Test
    void theWrittenBytesAreProtobufsEncodingOfTheMessageAsItWasBuiltBefore() {
        RunMessages regular = new RunMessages(RUN_ID, recipients,
                new MessageMix(MessageMix.parseWeights(MessageMix.DEFAULT_KINDS), 0, 0, 0), DISTANCE);
        for (long sequence = 0; sequence < SEQUENCES; sequence++) {
            assertWritten(regular, sequence, reference(RUN_ID, regular.kind(sequence), sequence, null));
        }
        // past ten digits, where numbers and lengths grow
        for (long sequence = 9_999_999_000L; sequence < 10_000_001_000L; sequence++) {
            assertWritten(regular, sequence, reference(RUN_ID, regular.kind(sequence), sequence, null));
        }
    }

    @Test
    void aRunIdLongEnoughForAnOfferOfMoreThan127BytesStillWritesItsLengthRight() {
        String longRunId = "lt-" + "x".repeat(61);
        RunMessages offers = new RunMessages(longRunId, recipients,
                new MessageMix(MessageMix.parseWeights("marketing=1"), 0, 0, 0), DISTANCE);
        long sequence = 12_345_678_901L;
        Message expected = reference(longRunId, MessageKind.MARKETING, sequence, null);
        assertThat(expected.getText().length()).isGreaterThan(127);

        assertWritten(offers, sequence, expected);
    }

    @Test
    void theRefusedSharesAreWrittenWithTheirNumbers() {
        Map<MessageKind, Integer> kinds = MessageMix.parseWeights(MessageMix.DEFAULT_KINDS);
        RunMessages neverOptedIn = new RunMessages(RUN_ID, recipients, new MessageMix(kinds, 100, 0, 0), DISTANCE);
        RunMessages invalid = new RunMessages(RUN_ID, recipients, new MessageMix(kinds, 0, 100, 0), DISTANCE);
        for (long sequence = 0; sequence < 20_000; sequence++) {
            assertWritten(neverOptedIn, sequence, reference(RUN_ID, neverOptedIn.kind(sequence), sequence,
                    String.format(Locale.ROOT, "+447901%06d", Math.floorMod(sequence, 1_000_000L))));
            assertWritten(invalid, sequence, reference(RUN_ID, invalid.kind(sequence), sequence,
                    String.format(Locale.ROOT, "+999%05d", Math.floorMod(sequence, 1_000_000L) % 100_000)));
        }
    }

    @Test
    void aDuplicateIsWrittenAsTheBytesOfTheMessageItRepeats() {
        RunMessages all = new RunMessages(RUN_ID, recipients,
                new MessageMix(MessageMix.parseWeights(MessageMix.DEFAULT_KINDS), 0, 0, 100), DISTANCE);
        for (long sequence = 0; sequence < 5 * DISTANCE; sequence++) {
            long original = sequence % DISTANCE;
            assertWritten(all, sequence, reference(RUN_ID, all.kind(original), original, null));
        }
    }

    private static void assertWritten(RunMessages messages, long sequence, Message expected) {
        WireWriter out = new WireWriter(8);
        messages.write(sequence, out);
        assertThat(out.toByteArray()).as("message %d", sequence).isEqualTo(expected.toByteArray());
        assertThat(messages.message(sequence)).isEqualTo(expected);
    }

    /**
     * Message {@code sequence} as the harness built it with protobuf's builder and
     * {@code String.format} before it wrote bytes itself: the reference the bytes must match.
     * {@code recipient} replaces the seeded one for the refused shares.
     */
    private Message reference(String runId, MessageKind kind, long sequence, String recipient) {
        int index = recipients.indexFor(sequence);
        Message.Builder message = Message.newBuilder().setClientMessageId(runId + "-" + sequence);
        switch (kind) {
            case BALANCE -> {
                long cents = Math.floorMod(sequence * 7_919L, 1_000_000L);
                message.setDeclaredCategory(Category.TRANSACTIONAL).setText(String.format(Locale.ROOT,
                        "Your balance is %d.%02d EUR", cents / 100, cents % 100));
            }
            case FLIGHT -> {
                long minutes = Math.floorMod(sequence * 37L, 24L * 60);
                message.setDeclaredCategory(Category.TRANSACTIONAL).setText(String.format(Locale.ROOT,
                        "Flight OL%04d to Lisbon now departs at %02d:%02d from gate B%d",
                        Math.floorMod(sequence, 10_000L), minutes / 60, minutes % 60, Math.floorMod(sequence, 40L) + 1));
            }
            case OTP -> message.setDeclaredCategory(Category.AUTHENTICATION).setText(String.format(Locale.ROOT,
                    "Your one-time code is %06d. It expires in 10 minutes.", Math.floorMod(splitMix64(sequence),
                            1_000_000L)));
            case MARKETING -> {
                index = index & ~1;
                message.setDeclaredCategory(Category.MARKETING).setText(String.format(Locale.ROOT,
                        "Spring offer %s-%d: 20%% off your next booking until Sunday", runId, sequence));
            }
        }
        return message.setRecipient(recipient != null ? recipient
                : String.format(Locale.ROOT, "+447900%06d", index)).build();
    }

    private static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static boolean isDuplicate(Message message, long sequence) {
        return !message.getClientMessageId().equals(RUN_ID + "-" + sequence);
    }

    private static boolean isRegularToSeededRecipient(Message message, long sequence) {
        return !isDuplicate(message, sequence) && message.getRecipient().startsWith("+447900");
    }

    private static double share(int count) {
        return 100.0 * count / SEQUENCES;
    }
}
