package org.optline.loadtest.baseline;

import java.util.UUID;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;

/**
 * Makes the ACCEPTED result of one connection's messages: the fields the gateway fills for an
 * accepted message, with a message id shaped like the gateway's UUIDv7 but made from a counter,
 * so that the baseline pays for the id's text and not for randomness. One per connection, used
 * on its event loop only.
 */
final class Acceptances {
    /** Version 7 in the time-high half, as the gateway's ids carry it. */
    private static final long VERSION_7 = 0x7000L;
    /** The RFC 9562 variant bits of the low half. */
    private static final long VARIANT = 0x8000_0000_0000_0000L;

    private final long connectionBits;
    private long sequence;

    /**
     * @param connection a number that differs between the server's connections, so that two
     *     connections never make the same id in the same millisecond
     */
    Acceptances(int connection) {
        this.connectionBits = (connection & 0x3FFF_FFFFL) << 32;
    }

    MessageResult accept(Message message) {
        return MessageResult.newBuilder()
                .setClientMessageId(message.getClientMessageId())
                .setReason(Reason.ACCEPTED)
                .setMessageId(nextMessageId())
                // by number, so that a category this schema does not know is echoed, not refused
                .setCategoryValue(message.getDeclaredCategoryValue())
                .build();
    }

    private String nextMessageId() {
        long high = (System.currentTimeMillis() << 16) | VERSION_7;
        long low = VARIANT | connectionBits | (sequence++ & 0xFFFF_FFFFL);
        return new UUID(high, low).toString();
    }
}
