package org.optline.server.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.time.Duration;
import java.time.Instant;
import org.optline.core.queue.QueuedMessage;
import org.optline.proto.v1.ErrorBody;
import org.optline.proto.v1.PushCommand;
import org.optline.proto.v1.PushFrame;
import org.optline.proto.v1.PushReported;
import org.optline.proto.v1.PushSubscribed;

/** The push channel's frames between JSON text and the domain. */
public final class PushWire {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private PushWire() {}

    public static String subscribed(int window, Duration lease) {
        return print(PushFrame.newBuilder().setSubscribed(PushSubscribed.newBuilder()
                .setWindow(window).setLeaseSeconds((int) lease.toSeconds())).build());
    }

    public static String message(QueuedMessage message, Instant leasedUntil) {
        return print(PushFrame.newBuilder().setMessage(InboxWire.message(message, leasedUntil)).build());
    }

    public static String reported(String commandId, int changed) {
        return print(PushFrame.newBuilder().setReported(PushReported.newBuilder()
                .setCommandId(commandId).setChanged(changed)).build());
    }

    public static String error(String reason, String detail) {
        return print(PushFrame.newBuilder().setError(ErrorBody.newBuilder().setReason(reason).setDetail(detail)).build());
    }

    /** A client's command; {@link Malformed} when the text is not one. */
    public static PushCommand command(String json) throws Malformed {
        PushCommand.Builder command = PushCommand.newBuilder();
        try {
            PARSER.merge(json, command);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw Malformed.field("the frame is not a PushCommand");
        }
        if (command.getKindCase() == PushCommand.KindCase.KIND_NOT_SET) {
            throw Malformed.field("a command needs ack or read");
        }
        return command.build();
    }

    private static String print(PushFrame frame) {
        try {
            return PRINTER.print(frame);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("every optline.v1 message prints as JSON", e);
        }
    }
}
