package org.optline.core.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentState;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;

/**
 * The values stored on disk, each starting with a format version byte so that a later version
 * can still read them. Enums are stored by name, never by ordinal, so reordering an enum cannot
 * change what is on disk.
 */
final class Codec {
    private static final byte VERSION = 1;

    private Codec() {}

    static byte[] message(QueuedMessage m) {
        return write(out -> {
            writeString(out, m.messageId());
            writeString(out, m.businessId());
            writeString(out, m.clientMessageId());
            writeString(out, m.recipient().e164());
            writeString(out, m.category().name());
            out.writeBoolean(m.reclassified());
            writeLongString(out, m.text());
            out.writeLong(m.acceptedAt().getEpochSecond());
            out.writeInt(m.acceptedAt().getNano());
            out.writeInt(m.ttlSeconds());
            writeString(out, m.campaignId());
        });
    }

    static QueuedMessage message(byte[] bytes) {
        return read(bytes, in -> new QueuedMessage(readString(in), readString(in), readString(in),
                number(readString(in)), Category.valueOf(readString(in)), in.readBoolean(), readLongString(in),
                Instant.ofEpochSecond(in.readLong(), in.readInt()), in.readInt(), readString(in)));
    }

    static byte[] record(ConsentRecord r) {
        return write(out -> {
            writeString(out, r.transactional().name());
            writeString(out, r.marketing().name());
            out.writeBoolean(r.blocked());
        });
    }

    static ConsentRecord record(byte[] bytes) {
        return read(bytes, in -> new ConsentRecord(ConsentState.valueOf(readString(in)),
                ConsentState.valueOf(readString(in)), in.readBoolean()));
    }

    static byte[] change(ConsentChange c) {
        return write(out -> {
            writeString(out, c.recipient().e164());
            writeString(out, c.businessId());
            writeString(out, c.action().name());
            writeString(out, c.consentClass() == null ? "" : c.consentClass().name());
            writeString(out, c.source().name());
            writeString(out, c.wordingVersion());
            out.writeLong(c.at().getEpochSecond());
            out.writeInt(c.at().getNano());
        });
    }

    static ConsentChange change(byte[] bytes) {
        return read(bytes, in -> {
            PhoneNumber recipient = number(readString(in));
            String businessId = readString(in);
            ConsentAction action = ConsentAction.valueOf(readString(in));
            String consentClass = readString(in);
            return new ConsentChange(recipient, businessId, action,
                    consentClass.isEmpty() ? null : ConsentClass.valueOf(consentClass),
                    ConsentSource.valueOf(readString(in)), readString(in),
                    Instant.ofEpochSecond(in.readLong(), in.readInt()));
        });
    }

    /** An idempotency record: the first outcome and when it was given. */
    static byte[] outcome(Outcome o, Instant at) {
        return write(out -> {
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
            writeString(out, o.clientMessageId());
            writeString(out, o.reason().name());
            writeString(out, o.messageId() == null ? "" : o.messageId());
            writeString(out, o.category() == null ? "" : o.category().name());
            out.writeBoolean(o.reclassified());
            writeString(out, o.detail());
        });
    }

    /** When an idempotency record was made. */
    static Instant outcomeTime(byte[] bytes) {
        return read(bytes, in -> Instant.ofEpochSecond(in.readLong(), in.readInt()));
    }

    static Outcome outcome(byte[] bytes) {
        return read(bytes, in -> {
            in.readLong();
            in.readInt();
            String clientMessageId = readString(in);
            Reason reason = Reason.valueOf(readString(in));
            String messageId = readString(in);
            String category = readString(in);
            return new Outcome(clientMessageId, reason, messageId.isEmpty() ? null : messageId,
                    category.isEmpty() ? null : Category.valueOf(category), in.readBoolean(), false, 0, readString(in));
        });
    }

    private static PhoneNumber number(String e164) {
        return PhoneNumber.parse(e164).orElseThrow(
                () -> new IllegalStateException("the store holds a number that no longer validates"));
    }

    /**
     * Strings as a length and UTF-8 bytes: DataOutputStream.writeUTF encodes a character at a
     * time and is limited to 64 KiB; this is one bulk copy and has no such limit.
     */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeLongString(out, s);
    }

    private static String readString(DataInputStream in) throws IOException {
        return readLongString(in);
    }

    private static void writeLongString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readLongString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("stored value of format version " + version + ", expected " + VERSION);
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored value is truncated or corrupt", e);
        }
    }
}
