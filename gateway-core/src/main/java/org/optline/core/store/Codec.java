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
            out.writeUTF(m.messageId());
            out.writeUTF(m.businessId());
            out.writeUTF(m.clientMessageId());
            out.writeUTF(m.recipient().e164());
            out.writeUTF(m.category().name());
            out.writeBoolean(m.reclassified());
            writeLongString(out, m.text());
            out.writeLong(m.acceptedAt().getEpochSecond());
            out.writeInt(m.acceptedAt().getNano());
            out.writeInt(m.ttlSeconds());
            out.writeUTF(m.campaignId());
        });
    }

    static QueuedMessage message(byte[] bytes) {
        return read(bytes, in -> new QueuedMessage(in.readUTF(), in.readUTF(), in.readUTF(),
                number(in.readUTF()), Category.valueOf(in.readUTF()), in.readBoolean(), readLongString(in),
                Instant.ofEpochSecond(in.readLong(), in.readInt()), in.readInt(), in.readUTF()));
    }

    static byte[] record(ConsentRecord r) {
        return write(out -> {
            out.writeUTF(r.transactional().name());
            out.writeUTF(r.marketing().name());
            out.writeBoolean(r.blocked());
        });
    }

    static ConsentRecord record(byte[] bytes) {
        return read(bytes, in -> new ConsentRecord(ConsentState.valueOf(in.readUTF()),
                ConsentState.valueOf(in.readUTF()), in.readBoolean()));
    }

    static byte[] change(ConsentChange c) {
        return write(out -> {
            out.writeUTF(c.recipient().e164());
            out.writeUTF(c.businessId());
            out.writeUTF(c.action().name());
            out.writeUTF(c.consentClass() == null ? "" : c.consentClass().name());
            out.writeUTF(c.source().name());
            out.writeUTF(c.wordingVersion());
            out.writeLong(c.at().getEpochSecond());
            out.writeInt(c.at().getNano());
        });
    }

    static ConsentChange change(byte[] bytes) {
        return read(bytes, in -> {
            PhoneNumber recipient = number(in.readUTF());
            String businessId = in.readUTF();
            ConsentAction action = ConsentAction.valueOf(in.readUTF());
            String consentClass = in.readUTF();
            return new ConsentChange(recipient, businessId, action,
                    consentClass.isEmpty() ? null : ConsentClass.valueOf(consentClass),
                    ConsentSource.valueOf(in.readUTF()), in.readUTF(),
                    Instant.ofEpochSecond(in.readLong(), in.readInt()));
        });
    }

    /** An idempotency record: the first outcome and when it was given. */
    static byte[] outcome(Outcome o, Instant at) {
        return write(out -> {
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
            out.writeUTF(o.clientMessageId());
            out.writeUTF(o.reason().name());
            out.writeUTF(o.messageId() == null ? "" : o.messageId());
            out.writeUTF(o.category() == null ? "" : o.category().name());
            out.writeBoolean(o.reclassified());
            out.writeUTF(o.detail());
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
            String clientMessageId = in.readUTF();
            Reason reason = Reason.valueOf(in.readUTF());
            String messageId = in.readUTF();
            String category = in.readUTF();
            return new Outcome(clientMessageId, reason, messageId.isEmpty() ? null : messageId,
                    category.isEmpty() ? null : Category.valueOf(category), in.readBoolean(), false, 0, in.readUTF());
        });
    }

    private static PhoneNumber number(String e164) {
        return PhoneNumber.parse(e164).orElseThrow(
                () -> new IllegalStateException("the store holds a number that no longer validates"));
    }

    /** writeUTF is limited to 64 KiB; texts are bounded well below, but say so explicitly. */
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
