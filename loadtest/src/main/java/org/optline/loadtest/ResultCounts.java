package org.optline.loadtest;

import io.netty.buffer.ByteBuf;
import org.optline.proto.v1.Reason;

/**
 * The outcomes in one answer of the gateway — a {@code SubmitResponse} frame or a
 * {@code SubmitMessagesResponse} body — counted by reading protobuf's wire format where it
 * lies, without building a message, a result or a string: at millions of results a second,
 * parsing them costs more than the server being measured.
 *
 * <p>The reading is strict about structure, as a parser is: a truncated field, a length past
 * the end, a varint longer than ten bytes, field number 0 or an unknown wire type makes the
 * answer malformed. Unknown fields, groups included, are skipped, as protobuf does. The strings of a result (its ids
 * and detail) are skipped unread. Reused for every answer of a lane; not thread-safe.
 */
final class ResultCounts {
    /** What {@link #readServerFrame} found. */
    enum Frame {
        /** A {@code SubmitResponse}, now counted here. */
        RESULT,
        /** Another kind of frame, or a result with something else in the frame: parse it whole. */
        OTHER,
        /** Not a valid protobuf message. */
        MALFORMED
    }

    private static final Reason[] REASONS = Reason.values();
    /** A reason number this schema does not know counts as {@link Reason#UNRECOGNIZED}, as protobuf reads it. */
    private static final Reason[] BY_NUMBER = byNumber();

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;
    private static final int START_GROUP = 3;
    private static final int END_GROUP = 4;
    private static final int FIXED32 = 5;
    /** Protobuf's own limit on nesting. */
    private static final int MAX_GROUP_DEPTH = 100;

    /** Counts of the first {@code limit} results, by {@link Reason#ordinal()}. */
    private final long[] byReason = new long[REASONS.length];
    private int results;
    private int duplicates;
    private long requestId;

    private ByteBuf buf;
    private int pos;

    /**
     * Reads a whole {@code ServerFrame} from the readable bytes of {@code frame}; when it is a
     * result, counts it, with only its first {@code limit} results' outcomes (the messages that
     * were sent). Leaves {@code frame} as it was.
     */
    Frame readServerFrame(ByteBuf frame, int limit) {
        clear();
        buf = frame;
        pos = frame.readerIndex();
        int end = frame.writerIndex();
        try {
            if (pos == end) {
                return Frame.OTHER;
            }
            long tag = varint(end);
            // ServerFrame.result is field 2; anything else is looked at by the parser
            if (tag != ((2 << 3) | LEN)) {
                return Frame.OTHER;
            }
            int responseEnd = lengthEnd(end);
            if (responseEnd != end) {
                return Frame.OTHER;
            }
            // SubmitResponse: request_id = 1, results = 2
            readResponse(end, 2, limit, true);
            return Frame.RESULT;
        } catch (Malformed e) {
            return Frame.MALFORMED;
        } finally {
            buf = null;
        }
    }

    /**
     * Reads a {@code SubmitMessagesResponse} from the readable bytes of {@code body}, counting the
     * outcomes of its first {@code limit} results; false when it is malformed.
     */
    boolean readSubmitMessagesResponse(ByteBuf body, int limit) {
        clear();
        buf = body;
        pos = body.readerIndex();
        try {
            // SubmitMessagesResponse: results = 1
            readResponse(body.writerIndex(), 1, limit, false);
            return true;
        } catch (Malformed e) {
            return false;
        } finally {
            buf = null;
        }
    }

    /** Results in the answer, including any beyond the limit. */
    int results() {
        return results;
    }

    /** The request id of a {@code SubmitResponse}; 0 when it had none. */
    long requestId() {
        return requestId;
    }

    /** Results marked duplicate among the counted ones. */
    int duplicates() {
        return duplicates;
    }

    /** How many of the counted results had {@code reason}. */
    long count(Reason reason) {
        return byReason[reason.ordinal()];
    }

    /** Adds the counted outcomes to {@code tally}. */
    void addTo(Tally tally) {
        for (int i = 0; i < byReason.length; i++) {
            if (byReason[i] > 0) {
                tally.answered(REASONS[i], byReason[i]);
            }
        }
        tally.duplicates(duplicates);
    }

    private void clear() {
        for (int i = 0; i < byReason.length; i++) {
            byReason[i] = 0;
        }
        results = 0;
        duplicates = 0;
        requestId = 0;
    }

    private void readResponse(int end, int resultsField, int limit, boolean hasRequestId) throws Malformed {
        while (pos < end) {
            long tag = varint(end);
            int field = field(tag);
            int type = (int) tag & 7;
            if (field == resultsField && type == LEN) {
                int resultEnd = lengthEnd(end);
                readResult(resultEnd, results < limit);
                results++;
            } else if (hasRequestId && field == 1 && type == VARINT) {
                requestId = varint(end);
            } else {
                skip(field, type, end);
            }
        }
    }

    /** One MessageResult up to {@code end}: reason = 2, duplicate = 6; the rest is skipped. */
    private void readResult(int end, boolean counted) throws Malformed {
        long reason = 0;
        boolean duplicate = false;
        while (pos < end) {
            long tag = varint(end);
            int field = field(tag);
            int type = (int) tag & 7;
            if (field == 2 && type == VARINT) {
                reason = varint(end);
            } else if (field == 6 && type == VARINT) {
                duplicate = varint(end) != 0;
            } else {
                skip(field, type, end);
            }
        }
        if (counted) {
            byReason[reasonOf(reason).ordinal()]++;
            if (duplicate) {
                duplicates++;
            }
        }
    }

    private static Reason reasonOf(long number) {
        // an enum is an int32 on the wire: a negative one arrives as ten bytes, and is unknown here
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[(int) number] : Reason.UNRECOGNIZED;
    }

    private static int field(long tag) throws Malformed {
        long field = tag >>> 3;
        if (field == 0 || field > 0x1FFF_FFFF) {
            throw Malformed.INSTANCE;
        }
        return (int) field;
    }

    private void skip(int field, int type, int end) throws Malformed {
        skip(field, type, end, 0);
    }

    private void skip(int field, int type, int end, int depth) throws Malformed {
        switch (type) {
            case VARINT -> varint(end);
            case FIXED64 -> advance(8, end);
            case LEN -> pos = lengthEnd(end);
            case FIXED32 -> advance(4, end);
            case START_GROUP -> skipGroup(field, end, depth + 1);
            // an END_GROUP without its start, and 6 and 7, which are no wire types
            default -> throw Malformed.INSTANCE;
        }
    }

    /**
     * Skips a group (proto2's, never in this schema, but valid protobuf) up to the END_GROUP of
     * the same field, nested no deeper than protobuf's parser allows.
     */
    private void skipGroup(int field, int end, int depth) throws Malformed {
        if (depth > MAX_GROUP_DEPTH) {
            throw Malformed.INSTANCE;
        }
        while (true) {
            long tag = varint(end);
            int inner = field(tag);
            int type = (int) tag & 7;
            if (type == END_GROUP) {
                if (inner != field) {
                    throw Malformed.INSTANCE;
                }
                return;
            }
            skip(inner, type, end, depth);
        }
    }

    /** Reads a length; returns where the field it prefixes ends, which must be within {@code end}. */
    private int lengthEnd(int end) throws Malformed {
        long length = varint(end);
        if (length > end - pos) {
            throw Malformed.INSTANCE;
        }
        return pos + (int) length;
    }

    private void advance(int bytes, int end) throws Malformed {
        if (bytes > end - pos) {
            throw Malformed.INSTANCE;
        }
        pos += bytes;
    }

    private long varint(int end) throws Malformed {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw Malformed.INSTANCE;
            }
            byte b = buf.getByte(pos++);
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw Malformed.INSTANCE;
    }

    private static Reason[] byNumber() {
        int max = 0;
        for (Reason reason : REASONS) {
            if (reason != Reason.UNRECOGNIZED) {
                max = Math.max(max, reason.getNumber());
            }
        }
        Reason[] reasons = new Reason[max + 1];
        java.util.Arrays.fill(reasons, Reason.UNRECOGNIZED);
        for (Reason reason : REASONS) {
            if (reason != Reason.UNRECOGNIZED) {
                reasons[reason.getNumber()] = reason;
            }
        }
        return reasons;
    }

    /** Thrown, without a stack trace, when the bytes are not a valid message; caught in this class. */
    private static final class Malformed extends Exception {
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super("malformed protobuf", null, false, false);
        }
    }
}
