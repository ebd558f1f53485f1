package org.optline.storage.rocksdb;

import java.net.URI;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentRecord;
import org.optline.core.consent.ConsentSource;
import org.optline.core.consent.ConsentState;
import org.optline.core.delivery.MessageRecord;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Transition;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.quality.Standing;
import org.optline.core.quality.StandingEvent;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.template.RegisteredTemplate;
import org.optline.core.template.Template;
import org.optline.core.webhook.WebhookRegistration;
import org.optline.core.webhook.WebhookSecret;

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
            out.writeString(m.messageId());
            out.writeString(m.businessId());
            out.writeString(m.clientMessageId());
            out.writeString(m.recipient().e164());
            out.writeString(m.category().name());
            out.writeBoolean(m.reclassified());
            out.writeString(m.text());
            out.writeLong(m.acceptedAt().getEpochSecond());
            out.writeInt(m.acceptedAt().getNano());
            out.writeInt(m.ttlSeconds());
            out.writeString(m.campaignId());
        });
    }

    static QueuedMessage message(byte[] bytes) {
        return read(bytes, in -> new QueuedMessage(in.readString(), in.readString(), in.readString(),
                number(in.readString()), Category.valueOf(in.readString()), in.readBoolean(), in.readString(),
                Instant.ofEpochSecond(in.readLong(), in.readInt()), in.readInt(), in.readString()));
    }

    static byte[] record(ConsentRecord r) {
        return write(out -> {
            out.writeString(r.transactional().name());
            out.writeString(r.marketing().name());
            out.writeBoolean(r.blocked());
        });
    }

    static ConsentRecord record(byte[] bytes) {
        return read(bytes, in -> new ConsentRecord(ConsentState.valueOf(in.readString()),
                ConsentState.valueOf(in.readString()), in.readBoolean()));
    }

    static byte[] change(ConsentChange c) {
        return write(out -> {
            out.writeString(c.recipient().e164());
            out.writeString(c.businessId());
            out.writeString(c.action().name());
            out.writeString(c.consentClass() == null ? "" : c.consentClass().name());
            out.writeString(c.source().name());
            out.writeString(c.wordingVersion());
            out.writeLong(c.at().getEpochSecond());
            out.writeInt(c.at().getNano());
        });
    }

    static ConsentChange change(byte[] bytes) {
        return read(bytes, in -> {
            PhoneNumber recipient = number(in.readString());
            String businessId = in.readString();
            ConsentAction action = ConsentAction.valueOf(in.readString());
            String consentClass = in.readString();
            return new ConsentChange(recipient, businessId, action,
                    consentClass.isEmpty() ? null : ConsentClass.valueOf(consentClass),
                    ConsentSource.valueOf(in.readString()), in.readString(),
                    Instant.ofEpochSecond(in.readLong(), in.readInt()));
        });
    }

    /** An idempotency record: the first outcome and when it was given. */
    static byte[] outcome(Outcome o, Instant at) {
        return write(out -> {
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
            out.writeString(o.clientMessageId());
            out.writeString(o.reason().name());
            out.writeString(o.messageId() == null ? "" : o.messageId());
            out.writeString(o.category() == null ? "" : o.category().name());
            out.writeBoolean(o.reclassified());
            out.writeString(o.detail());
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
            String clientMessageId = in.readString();
            Reason reason = Reason.valueOf(in.readString());
            String messageId = in.readString();
            String category = in.readString();
            return new Outcome(clientMessageId, reason, messageId.isEmpty() ? null : messageId,
                    category.isEmpty() ? null : Category.valueOf(category), in.readBoolean(), false, 0, in.readString());
        });
    }

    /** A message's record after it left its queue; absent times are stored as -1 seconds. */
    static byte[] record(MessageRecord r) {
        return write(out -> {
            out.writeString(r.messageId());
            out.writeString(r.businessId());
            out.writeString(r.clientMessageId());
            out.writeString(r.recipient().e164());
            out.writeString(r.category().name());
            writeInstant(out, r.acceptedAt());
            writeInstant(out, r.expiresAt());
            out.writeString(r.state().name());
            writeInstant(out, r.deliveredAt());
            writeInstant(out, r.readAt());
            writeInstant(out, r.expiredAt());
            writeInstant(out, r.failedAt());
            out.writeString(r.failureReason());
        });
    }

    static MessageRecord messageRecord(byte[] bytes) {
        return read(bytes, in -> new MessageRecord(in.readString(), in.readString(), in.readString(),
                number(in.readString()), Category.valueOf(in.readString()), readInstant(in), readInstant(in),
                MessageState.valueOf(in.readString()), readInstant(in), readInstant(in), readInstant(in),
                readInstant(in), in.readString()));
    }

    /** A transition waiting in a webhook outbox: it holds the recipient only masked. */
    static byte[] transition(Transition t) {
        return write(out -> {
            out.writeString(t.messageId());
            out.writeString(t.businessId());
            out.writeString(t.clientMessageId());
            out.writeString(t.recipientMasked());
            out.writeString(t.category() == null ? "" : t.category().name());
            out.writeString(t.state().name());
            writeInstant(out, t.at());
            writeInstant(out, t.acceptedAt());
            out.writeString(t.reason());
        });
    }

    static Transition transition(byte[] bytes) {
        return read(bytes, in -> {
            String messageId = in.readString();
            String businessId = in.readString();
            String clientMessageId = in.readString();
            String masked = in.readString();
            String category = in.readString();
            return new Transition(messageId, businessId, clientMessageId, masked,
                    category.isEmpty() ? null : Category.valueOf(category), MessageState.valueOf(in.readString()),
                    readInstant(in), readInstant(in), in.readString());
        });
    }

    /** Until when a message is leased, and to whom. */
    static byte[] lease(Lease lease) {
        return write(out -> {
            writeInstant(out, lease.until());
            out.writeLong(lease.holder());
        });
    }

    /** A lease; one of the first version, written before leases had holders, has holder 0. */
    static Lease lease(byte[] bytes) {
        return read(bytes, in -> new Lease(readInstant(in), in.remaining() >= Long.BYTES ? in.readLong() : 0));
    }

    /** A business's webhook: URL, when registered, and its secrets (which sign, so are kept in clear). */
    static byte[] registration(WebhookRegistration r) {
        return write(out -> {
            out.writeString(r.businessId());
            out.writeString(r.url().toString());
            writeInstant(out, r.registeredAt());
            out.writeInt(r.secrets().size());
            for (WebhookSecret secret : r.secrets()) {
                out.writeString(secret.id());
                out.writeString(secret.secret());
                writeInstant(out, secret.createdAt());
                writeInstant(out, secret.retiresAt());
            }
        });
    }

    static WebhookRegistration registration(byte[] bytes) {
        return read(bytes, in -> {
            String businessId = in.readString();
            URI url = URI.create(in.readString());
            Instant registeredAt = readInstant(in);
            int count = in.readInt();
            List<WebhookSecret> secrets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                secrets.add(new WebhookSecret(in.readString(), in.readString(), readInstant(in), readInstant(in)));
            }
            return new WebhookRegistration(businessId, url, secrets, registeredAt);
        });
    }

    static byte[] template(RegisteredTemplate t) {
        return write(out -> {
            out.writeString(t.businessId());
            out.writeString(t.name());
            out.writeString(t.category().name());
            out.writeString(t.template().text());
            out.writeString(t.declared().name());
            out.writeInt(t.version());
            out.writeString(t.review());
            writeInstant(out, t.registeredAt());
            out.writeString(t.source().name());
        });
    }

    static RegisteredTemplate template(byte[] bytes) {
        return read(bytes, in -> {
            String businessId = in.readString();
            String name = in.readString();
            Category category = Category.valueOf(in.readString());
            String text = in.readString();
            return new RegisteredTemplate(businessId, new Template(name, category, text),
                    Category.valueOf(in.readString()), in.readInt(), in.readString(), readInstant(in),
                    RegisteredTemplate.Source.valueOf(in.readString()));
        });
    }

    static byte[] standing(Standing s) {
        return write(out -> {
            out.writeString(s.businessId());
            out.writeString(s.tier() == null ? "" : s.tier().toString());
            out.writeString(s.rating().name());
            out.writeInt(s.pauses());
            out.writeLong(s.pausedUntilMillis());
            out.writeLong(s.lastComplaintMillis());
            out.writeLong(s.pauseEndedMillis());
            out.writeLong(s.greenSinceMillis());
            out.writeLong(s.tierChangedMillis());
        });
    }

    static Standing standing(byte[] bytes) {
        return read(bytes, in -> new Standing(in.readString(), tier(in.readString()), Quality.valueOf(in.readString()),
                in.readInt(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong()));
    }

    static byte[] event(StandingEvent e) {
        return write(out -> {
            out.writeLong(e.sequence());
            out.writeString(e.businessId());
            writeInstant(out, e.at());
            out.writeString(e.kind().name());
            out.writeString(e.fromQuality() == null ? "" : e.fromQuality().name());
            out.writeString(e.toQuality() == null ? "" : e.toQuality().name());
            out.writeString(e.fromTier() == null ? "" : e.fromTier().toString());
            out.writeString(e.toTier() == null ? "" : e.toTier().toString());
            out.writeInt(e.pause());
            writeInstant(out, e.pausedUntil());
            out.writeString(e.detail());
        });
    }

    static StandingEvent event(byte[] bytes) {
        return read(bytes, in -> new StandingEvent(in.readLong(), in.readString(), readInstant(in),
                StandingEvent.Kind.valueOf(in.readString()), quality(in.readString()), quality(in.readString()),
                tier(in.readString()), tier(in.readString()), in.readInt(), readInstant(in), in.readString()));
    }

    private static Tier tier(String stored) {
        if (stored.isEmpty()) {
            return null;
        }
        return stored.equals("unlimited") ? Tier.UNLIMITED : new Tier(Integer.parseInt(stored));
    }

    private static Quality quality(String stored) {
        return stored.isEmpty() ? null : Quality.valueOf(stored);
    }

    private static void writeInstant(Out out, Instant at) {
        out.writeLong(at == null ? -1 : at.getEpochSecond());
        out.writeInt(at == null ? 0 : at.getNano());
    }

    private static Instant readInstant(In in) {
        long seconds = in.readLong();
        int nanos = in.readInt();
        return seconds == -1 && nanos == 0 ? null : Instant.ofEpochSecond(seconds, nanos);
    }

    private static PhoneNumber number(String e164) {
        return PhoneNumber.parse(e164).orElseThrow(
                () -> new IllegalStateException("the store holds a number that no longer validates"));
    }

    /**
     * A growable buffer written field by field without locks or streams: values are encoded for
     * every accepted message, so this is on the hot path.
     */
    private static final class Out {
        private byte[] bytes = new byte[256];
        private int size;

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void writeByte(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void writeBoolean(boolean b) {
            writeByte(b ? 1 : 0);
        }

        void writeInt(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >>> shift);
            }
        }

        void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >>> shift);
            }
        }

        /** A length and the UTF-8 bytes. */
        void writeString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeInt(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    private static final class In {
        private final ByteBuffer buffer;

        In(byte[] bytes) {
            this.buffer = ByteBuffer.wrap(bytes);
        }

        byte readByte() {
            return buffer.get();
        }

        boolean readBoolean() {
            return buffer.get() != 0;
        }

        int readInt() {
            return buffer.getInt();
        }

        long readLong() {
            return buffer.getLong();
        }

        int remaining() {
            return buffer.remaining();
        }

        String readString() {
            int length = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                throw new IllegalStateException("a stored value is truncated or corrupt");
            }
            String s = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
            buffer.position(buffer.position() + length);
            return s;
        }
    }

    private interface Writer {
        void write(Out out);
    }

    private interface Reader<T> {
        T read(In in);
    }

    private static byte[] write(Writer writer) {
        Out out = new Out();
        out.writeByte(VERSION);
        writer.write(out);
        return out.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try {
            In in = new In(bytes);
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("stored value of format version " + version + ", expected " + VERSION);
            }
            return reader.read(in);
        } catch (BufferUnderflowException e) {
            throw new IllegalStateException("a stored value is truncated or corrupt", e);
        }
    }
}
