package org.optline.storage.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.optline.core.delivery.Settlement;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.queue.Accepted;
import org.optline.core.recipient.PhoneNumber;

/**
 * One record of the delivery topic: an accepted message, or a change to the inbox of the
 * partition it is written to. The inbox of a partition is the result of applying its records in
 * the log's order, and applying is deterministic (every time is in the record, nothing reads a
 * clock or a random number), so every node that reads the partition builds the same inbox, and
 * a command written by a node that no longer owns the partition is applied like any other.
 *
 * <p>Each command but {@link Append} carries the id its writer waits on for the result.
 */
sealed interface DeliveryCommand {
    /** Written with each value: the layout of what follows. */
    int VERSION = 1;

    /** Who waits for a command's result: the node's incarnation and a counter, unique across nodes. */
    record Id(long incarnation, long counter) {}

    /**
     * An accepted message and its idempotency record, with the idempotency window and the marketing
     * caps its writer applies: the owner decides with the writer's numbers, so that every reader of
     * the partition decides the same, whatever its own configuration.
     */
    record Append(Accepted accepted, Duration idempotencyWindow, AntiSpamPolicy caps) implements DeliveryCommand {}

    record Lease(Id id, PhoneNumber recipient, long holder, int max, Instant now, Duration leaseFor)
            implements DeliveryCommand {}

    record Release(Id id, PhoneNumber recipient, long holder, List<String> messageIds) implements DeliveryCommand {}

    record Settle(Id id, PhoneNumber recipient, List<String> messageIds, Settlement settlement, Instant at)
            implements DeliveryCommand {}

    record Expire(Id id, Instant now, int max) implements DeliveryCommand {}

    record Erase(Id id, PhoneNumber recipient) implements DeliveryCommand {}

    record Purge(Id id, Instant leftBefore, int max) implements DeliveryCommand {}

    /** The webhook outbox of one business in this partition: remove or dead-letter through a sequence. */
    record Outbox(Id id, OutboxAction action, String businessId, long through) implements DeliveryCommand {}

    record ReplayDeadLetters(Id id, String businessId, int max) implements DeliveryCommand {}

    record DropDeadLetters(Id id, Instant before, int max) implements DeliveryCommand {}

    /** A webhook removed: its business's outbox and dead letters in this partition go. */
    record DropOutbox(Id id, String businessId) implements DeliveryCommand {}

    enum OutboxAction { REMOVE, DEAD_LETTER }

    /** The id a writer waits on; null for an append (its writer asks for its offset's result). */
    default Id id() {
        return null;
    }

    static byte[] encode(DeliveryCommand command) {
        Codec.Out out = new Codec.Out().i8(VERSION);
        if (command instanceof Append a) {
            out.i8(1);
            Codec.accepted(out, a.accepted());
            Codec.duration(out, a.idempotencyWindow());
            out.i32(a.caps().marketingPerRecipient()).i32(a.caps().marketingPerRecipientPerBusiness());
            Codec.duration(out, a.caps().window());
        } else if (command instanceof Lease l) {
            id(out.i8(2), l.id()).str(l.recipient().e164()).i64(l.holder()).i32(l.max()).time(l.now());
            Codec.duration(out, l.leaseFor());
        } else if (command instanceof Release r) {
            id(out.i8(3), r.id()).str(r.recipient().e164()).i64(r.holder()).strings(r.messageIds());
        } else if (command instanceof Settle s) {
            id(out.i8(4), s.id()).str(s.recipient().e164()).strings(s.messageIds());
            Codec.settlement(out, s.settlement());
            out.time(s.at());
        } else if (command instanceof Expire e) {
            id(out.i8(5), e.id()).time(e.now()).i32(e.max());
        } else if (command instanceof Erase e) {
            id(out.i8(6), e.id()).str(e.recipient().e164());
        } else if (command instanceof Purge p) {
            id(out.i8(7), p.id()).time(p.leftBefore()).i32(p.max());
        } else if (command instanceof Outbox o) {
            id(out.i8(8), o.id()).enumValue(o.action()).str(o.businessId()).i64(o.through());
        } else if (command instanceof ReplayDeadLetters r) {
            id(out.i8(9), r.id()).str(r.businessId()).i32(r.max());
        } else if (command instanceof DropDeadLetters d) {
            id(out.i8(10), d.id()).time(d.before()).i32(d.max());
        } else if (command instanceof DropOutbox d) {
            id(out.i8(11), d.id()).str(d.businessId());
        }
        return out.done();
    }

    private static Codec.Out id(Codec.Out out, Id id) {
        return out.i64(id.incarnation()).i64(id.counter());
    }

    static DeliveryCommand decode(byte[] value) {
        Codec.In in = new Codec.In(value);
        int version = in.i8();
        if (version != VERSION) {
            throw new IllegalStateException("a delivery record of layout " + version + " is newer than this node");
        }
        int type = in.i8();
        if (type == 1) {
            Accepted accepted = Codec.accepted(in);
            Duration window = Codec.duration(in);
            int perRecipient = in.i32();
            int perBusiness = in.i32();
            return new Append(accepted, window, new AntiSpamPolicy(perRecipient, perBusiness, Codec.duration(in), 1));
        }
        Id id = new Id(in.i64(), in.i64());
        return switch (type) {
            case 2 -> new Lease(id, Codec.phone(in.str()), in.i64(), in.i32(), in.time(), Codec.duration(in));
            case 3 -> new Release(id, Codec.phone(in.str()), in.i64(), in.strings());
            case 4 -> new Settle(id, Codec.phone(in.str()), in.strings(), Codec.settlement(in), in.time());
            case 5 -> new Expire(id, in.time(), in.i32());
            case 6 -> new Erase(id, Codec.phone(in.str()));
            case 7 -> new Purge(id, in.time(), in.i32());
            case 8 -> new Outbox(id, in.enumValue(OutboxAction.class), in.str(), in.i64());
            case 9 -> new ReplayDeadLetters(id, in.str(), in.i32());
            case 10 -> new DropDeadLetters(id, in.time(), in.i32());
            case 11 -> new DropOutbox(id, in.str());
            default -> throw new IllegalStateException("an unknown delivery record type " + type);
        };
    }
}
