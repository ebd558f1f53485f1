package org.optline.storage.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layouts, chosen for the access paths: every key that belongs to a recipient starts with
 * the recipient's E.164 number and a zero byte (which no number contains), so a recipient's
 * queue or audit trail is one range scan; sequence numbers are 8-byte big-endian, so that
 * byte order is acceptance order.
 */
final class Keys {
    private static final byte SEPARATOR = 0;

    private Keys() {}

    /** recipient ‖ 0 — the prefix of all of a recipient's keys in one column family. */
    static byte[] recipientPrefix(String e164) {
        byte[] number = e164.getBytes(StandardCharsets.US_ASCII);
        byte[] prefix = Arrays.copyOf(number, number.length + 1);
        prefix[number.length] = SEPARATOR;
        return prefix;
    }

    /** recipient ‖ 0 ‖ sequence — a queue entry or an audit event. */
    static byte[] sequenced(String e164, long sequence) {
        byte[] prefix = recipientPrefix(e164);
        return ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(sequence).array();
    }

    /** recipient ‖ 0 ‖ business id — a consent record. */
    static byte[] consent(String e164, String businessId) {
        return concat(recipientPrefix(e164), businessId.getBytes(StandardCharsets.UTF_8));
    }

    /** business id ‖ 0 ‖ client_message_id — an idempotency record. */
    static byte[] idempotency(String businessId, String clientMessageId) {
        byte[] business = businessId.getBytes(StandardCharsets.US_ASCII);
        byte[] prefix = Arrays.copyOf(business, business.length + 1);
        return concat(prefix, clientMessageId.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * recipient ‖ 0 ‖ rank ‖ sequence — a message in a recipient's inbox: byte order is hand-out
     * order, category rank first (0 most urgent), then acceptance order.
     */
    static byte[] inbox(String e164, int rank, long sequence) {
        byte[] prefix = recipientPrefix(e164);
        return ByteBuffer.allocate(prefix.length + 1 + Long.BYTES).put(prefix).put((byte) rank).putLong(sequence)
                .array();
    }

    /** The sequence at the end of a sequenced or inbox key. */
    static long sequenceOf(byte[] key) {
        return ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong();
    }

    /** time (epoch milliseconds, 8 bytes big-endian) ‖ rest — a time index whose byte order is time order. */
    static byte[] timed(long epochMillis, byte[] rest) {
        return ByteBuffer.allocate(Long.BYTES + rest.length).putLong(epochMillis).put(rest).array();
    }

    /** The time at the start of a time-index key. */
    static long timeOf(byte[] timedKey) {
        return ByteBuffer.wrap(timedKey, 0, Long.BYTES).getLong();
    }

    /** The part of a time-index key after the time. */
    static byte[] restOf(byte[] timedKey) {
        return Arrays.copyOfRange(timedKey, Long.BYTES, timedKey.length);
    }

    /** business id ‖ 0 — the prefix of a business's outbox or dead letters. */
    static byte[] businessPrefix(String businessId) {
        byte[] business = businessId.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(business, business.length + 1);
    }

    /** business id ‖ 1 — just past every key of the business's outbox or dead letters, for a range's end. */
    static byte[] businessPrefixEnd(String businessId) {
        byte[] end = businessPrefix(businessId);
        end[end.length - 1] = 1;
        return end;
    }

    /** business id ‖ 0 ‖ sequence — an outbox event or a dead letter. */
    static byte[] businessSequenced(String businessId, long sequence) {
        byte[] prefix = businessPrefix(businessId);
        return ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(sequence).array();
    }

    /** The business id at the start of a business-prefixed key. */
    static String businessOfEvent(byte[] key) {
        int end = 0;
        while (end < key.length && key[end] != SEPARATOR) {
            end++;
        }
        return new String(key, 0, end, StandardCharsets.US_ASCII);
    }

    /** recipient ‖ 0 ‖ message id — one past message of a recipient, for erasure. */
    static byte[] recipientMessage(String e164, String messageId) {
        return concat(recipientPrefix(e164), messageId(messageId));
    }

    static byte[] business(String businessId) {
        return businessId.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] messageId(String messageId) {
        return messageId.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The part of a consent key after the recipient prefix: the business id. */
    static String businessOf(byte[] consentKey, int prefixLength) {
        return new String(consentKey, prefixLength, consentKey.length - prefixLength, StandardCharsets.UTF_8);
    }

    /** business id ‖ 0 ‖ recipient — a business's last contact with a recipient. */
    static byte[] contact(String businessId, String e164) {
        return concat(businessPrefix(businessId), e164.getBytes(StandardCharsets.US_ASCII));
    }

    /** business id ‖ 0 ‖ time ‖ recipient — a contact in its business's time index. */
    static byte[] contactTime(String businessId, long atMillis, String e164) {
        byte[] prefix = businessPrefix(businessId);
        byte[] number = e164.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(prefix.length + Long.BYTES + number.length).put(prefix).putLong(atMillis)
                .put(number).array();
    }

    /** business id ‖ 0 ‖ time — the first key of a business's time index at that time. */
    static byte[] contactTimeFrom(String businessId, long atMillis) {
        byte[] prefix = businessPrefix(businessId);
        return ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(atMillis).array();
    }

    /** recipient ‖ 0 ‖ time ‖ text hash ‖ business id — one marketing message a recipient got. */
    static byte[] marketingSend(String e164, long atMillis, long textHash, String businessId) {
        byte[] prefix = recipientPrefix(e164);
        byte[] business = businessId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(prefix.length + 2 * Long.BYTES + business.length).put(prefix).putLong(atMillis)
                .putLong(textHash).put(business).array();
    }

    /** The smallest key after {@code key}: the key with a zero byte appended. */
    static byte[] justAfter(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** business id ‖ 0 ‖ kind ‖ 0 ‖ subject — one complaint about a business. */
    static byte[] complaint(String businessId, String kind, String subject) {
        byte[] kindPart = Arrays.copyOf(kind.getBytes(StandardCharsets.US_ASCII), kind.length() + 1);
        return concat(concat(businessPrefix(businessId), kindPart), subject.getBytes(StandardCharsets.UTF_8));
    }

    /** business id ‖ 0 ‖ name — a registered template. */
    static byte[] template(String businessId, String name) {
        return concat(businessPrefix(businessId), name.getBytes(StandardCharsets.UTF_8));
    }

    static long longValue(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
