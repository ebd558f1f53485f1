package org.optline.storage.kafka;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.optline.core.consent.ConsentAction;
import org.optline.core.consent.ConsentChange;
import org.optline.core.consent.ConsentClass;
import org.optline.core.consent.ConsentSource;
import org.optline.core.delivery.MessageRecord;
import org.optline.core.delivery.MessageState;
import org.optline.core.delivery.Settlement;
import org.optline.core.delivery.Transition;
import org.optline.core.idempotency.IdempotencyRecord;
import org.optline.core.inbox.Inbox;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.queue.Accepted;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.webhook.OutboxEvent;
import org.optline.core.webhook.WebhookRegistration;
import org.optline.core.webhook.WebhookSecret;

/**
 * The binary form of what the engine writes to Kafka and sends to its peers: plain
 * {@link DataOutputStream} fields, each value led by a version byte where it is stored, so that a
 * later version can still read what an earlier one wrote (the topics outlive any one release).
 */
final class Codec {
    private Codec() {}

    /** Builds one value. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Out i8(int v) {
            try {
                out.writeByte(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Out bool(boolean v) {
            return i8(v ? 1 : 0);
        }

        Out i32(int v) {
            try {
                out.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Out i64(long v) {
            try {
                out.writeLong(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** A string that may be null. */
        Out str(String v) {
            try {
                if (v == null) {
                    out.writeInt(-1);
                } else {
                    byte[] utf8 = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Out bytes(byte[] v) {
            try {
                out.writeInt(v.length);
                out.write(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** An instant that may be null, to the nanosecond. */
        Out time(Instant v) {
            if (v == null) {
                return bool(false);
            }
            return bool(true).i64(v.getEpochSecond()).i32(v.getNano());
        }

        Out strings(List<String> v) {
            i32(v.size());
            v.forEach(this::str);
            return this;
        }

        <E extends Enum<E>> Out enumValue(E v) {
            return str(v == null ? null : v.name());
        }

        byte[] done() {
            return bytes.toByteArray();
        }
    }

    /** Reads one value. */
    static final class In {
        private final DataInputStream in;

        In(byte[] value) {
            this.in = new DataInputStream(new ByteArrayInputStream(value));
        }

        int i8() {
            try {
                return in.readByte();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean bool() {
            return i8() != 0;
        }

        int i32() {
            try {
                return in.readInt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long i64() {
            try {
                return in.readLong();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String str() {
            try {
                int length = in.readInt();
                if (length < 0) {
                    return null;
                }
                return new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] bytes() {
            try {
                return in.readNBytes(in.readInt());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Instant time() {
            return bool() ? Instant.ofEpochSecond(i64(), i32()) : null;
        }

        List<String> strings() {
            int n = i32();
            List<String> v = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                v.add(str());
            }
            return v;
        }

        <E extends Enum<E>> E enumValue(Class<E> type) {
            String name = str();
            return name == null ? null : Enum.valueOf(type, name);
        }
    }

    static PhoneNumber phone(String e164) {
        // Written by a node that validated it; a number that no longer validates is kept as it was.
        return PhoneNumber.parse(e164).orElseThrow(() -> new IllegalStateException("a stored number no longer parses"));
    }

    static void message(Out out, QueuedMessage m) {
        out.str(m.messageId()).str(m.businessId()).str(m.clientMessageId()).str(m.recipient().e164())
                .enumValue(m.category()).bool(m.reclassified()).str(m.text()).time(m.acceptedAt()).i32(m.ttlSeconds())
                .str(m.campaignId());
    }

    static QueuedMessage message(In in) {
        return new QueuedMessage(in.str(), in.str(), in.str(), phone(in.str()), in.enumValue(Category.class), in.bool(),
                in.str(), in.time(), in.i32(), in.str());
    }

    static void outcome(Out out, Outcome o) {
        out.str(o.clientMessageId()).enumValue(o.reason()).str(o.messageId()).enumValue(o.category())
                .bool(o.reclassified()).bool(o.duplicate()).i64(o.retryAfterMillis()).str(o.detail());
    }

    static Outcome outcome(In in) {
        return new Outcome(in.str(), in.enumValue(Reason.class), in.str(), in.enumValue(Category.class), in.bool(),
                in.bool(), in.i64(), in.str());
    }

    static void accepted(Out out, Accepted a) {
        message(out, a.message());
        IdempotencyRecord record = a.idempotency();
        out.str(record.businessId()).str(record.clientMessageId()).time(record.decidedAt());
        outcome(out, record.outcome());
    }

    static Accepted accepted(In in) {
        QueuedMessage message = message(in);
        String business = in.str();
        String clientId = in.str();
        Instant decidedAt = in.time();
        Outcome outcome = outcome(in);
        return new Accepted(message, new IdempotencyRecord(business, clientId, outcome, decidedAt));
    }

    static void transition(Out out, Transition t) {
        out.str(t.messageId()).str(t.businessId()).str(t.clientMessageId()).str(t.recipientMasked())
                .enumValue(t.category()).enumValue(t.state()).time(t.at()).time(t.acceptedAt()).str(t.reason());
    }

    static Transition transition(In in) {
        return new Transition(in.str(), in.str(), in.str(), in.str(), in.enumValue(Category.class),
                in.enumValue(MessageState.class), in.time(), in.time(), in.str());
    }

    static void transitions(Out out, List<Transition> ts) {
        out.i32(ts.size());
        ts.forEach(t -> transition(out, t));
    }

    static List<Transition> transitions(In in) {
        int n = in.i32();
        List<Transition> ts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ts.add(transition(in));
        }
        return ts;
    }

    static void messages(Out out, List<QueuedMessage> ms) {
        out.i32(ms.size());
        ms.forEach(m -> message(out, m));
    }

    static List<QueuedMessage> messages(In in) {
        int n = in.i32();
        List<QueuedMessage> ms = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ms.add(message(in));
        }
        return ms;
    }

    static void leased(Out out, Inbox.Leased l) {
        messages(out, l.messages());
        transitions(out, l.expired());
        out.i32(l.leasesRunOut()).time(l.heldUntil());
    }

    static Inbox.Leased leased(In in) {
        return new Inbox.Leased(messages(in), transitions(in), in.i32(), in.time());
    }

    static void settlement(Out out, Settlement s) {
        out.enumValue(s.state()).str(s.reason());
    }

    static Settlement settlement(In in) {
        return new Settlement(in.enumValue(MessageState.class), in.str());
    }

    static void record(Out out, Optional<MessageRecord> found) {
        out.bool(found.isPresent());
        found.ifPresent(r -> out.str(r.messageId()).str(r.businessId()).str(r.clientMessageId())
                .str(r.recipient().e164()).enumValue(r.category()).time(r.acceptedAt()).time(r.expiresAt())
                .enumValue(r.state()).time(r.deliveredAt()).time(r.readAt()).time(r.expiredAt()).time(r.failedAt())
                .str(r.failureReason()));
    }

    static Optional<MessageRecord> record(In in) {
        if (!in.bool()) {
            return Optional.empty();
        }
        return Optional.of(new MessageRecord(in.str(), in.str(), in.str(), phone(in.str()),
                in.enumValue(Category.class), in.time(), in.time(), in.enumValue(MessageState.class), in.time(),
                in.time(), in.time(), in.time(), in.str()));
    }

    static void optionalMessage(Out out, Optional<QueuedMessage> found) {
        out.bool(found.isPresent());
        found.ifPresent(m -> message(out, m));
    }

    static Optional<QueuedMessage> optionalMessage(In in) {
        return in.bool() ? Optional.of(message(in)) : Optional.empty();
    }

    static void change(Out out, ConsentChange c) {
        out.str(c.recipient().e164()).str(c.businessId()).enumValue(c.action()).enumValue(c.consentClass())
                .enumValue(c.source()).str(c.wordingVersion()).time(c.at());
    }

    static ConsentChange change(In in) {
        return new ConsentChange(phone(in.str()), in.str(), in.enumValue(ConsentAction.class),
                in.enumValue(ConsentClass.class), in.enumValue(ConsentSource.class), in.str(), in.time());
    }

    static byte[] registration(WebhookRegistration r) {
        Out out = new Out().i8(1).str(r.businessId()).str(r.url().toString()).time(r.registeredAt());
        out.i32(r.secrets().size());
        for (WebhookSecret s : r.secrets()) {
            out.str(s.id()).str(s.secret()).time(s.createdAt()).time(s.retiresAt());
        }
        return out.done();
    }

    static WebhookRegistration registration(byte[] value) {
        In in = new In(value);
        in.i8();
        String business = in.str();
        URI url = URI.create(in.str());
        Instant at = in.time();
        int n = in.i32();
        List<WebhookSecret> secrets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            secrets.add(new WebhookSecret(in.str(), in.str(), in.time(), in.time()));
        }
        return new WebhookRegistration(business, url, secrets, at);
    }

    static void events(Out out, List<OutboxEvent> events) {
        out.i32(events.size());
        for (OutboxEvent e : events) {
            out.i64(e.sequence());
            transition(out, e.transition());
        }
    }

    static Duration duration(In in) {
        return Duration.ofSeconds(in.i64(), in.i32());
    }

    static void duration(Out out, Duration d) {
        out.i64(d.getSeconds()).i32(d.getNano());
    }
}
