package org.optline.loadtest.baseline;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import org.optline.proto.v1.Authenticated;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Error;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.Pong;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.proto.v1.SubmitResponse;

/**
 * One baseline binary-protocol connection: any API key is taken, and every submission is
 * answered at once, on the event loop, with one ACCEPTED result per message. The answers of
 * one read go out in one flush. Frame-level mistakes get the gateway's error frames, so a
 * client sees the same protocol on both servers.
 */
final class TcpAcknowledger extends Acknowledger<ClientFrame> {
    private static final System.Logger log = System.getLogger(TcpAcknowledger.class.getName());

    /** The business every key authenticates as; no client counts on its value. */
    static final String BUSINESS_ID = "baseline";

    private static final ServerFrame AUTHENTICATED = ServerFrame.newBuilder()
            .setAuthenticated(Authenticated.newBuilder()
                    .setBusinessId(BUSINESS_ID)
                    .setMaxBatchSize(Limits.MAX_BATCH_SIZE)
                    .setMaxInFlight(Limits.MAX_IN_FLIGHT))
            .build();

    private final Acceptances acceptances;
    private boolean authenticated;

    TcpAcknowledger(Acceptances acceptances) {
        this.acceptances = acceptances;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientFrame frame) {
        if (closing) {
            return;
        }
        switch (frame.getKindCase()) {
            case AUTHENTICATE -> authenticate(ctx);
            case SUBMIT -> submit(ctx, frame.getSubmit());
            case PING -> answer(ctx, ServerFrame.newBuilder()
                    .setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce())).build());
            default -> answer(ctx, error(ErrorCode.INVALID_REQUEST, "empty frame", 0));
        }
    }

    private void authenticate(ChannelHandlerContext ctx) {
        if (authenticated) {
            answer(ctx, error(ErrorCode.INVALID_REQUEST, "already authenticated", 0));
            return;
        }
        authenticated = true;
        answer(ctx, AUTHENTICATED);
    }

    private void submit(ChannelHandlerContext ctx, SubmitRequest request) {
        long requestId = request.getRequestId();
        if (!authenticated) {
            closeWith(ctx, error(ErrorCode.UNAUTHENTICATED, "authenticate first", requestId));
            return;
        }
        int count = request.getMessagesCount();
        if (count == 0 || count > Limits.MAX_BATCH_SIZE) {
            answer(ctx, error(ErrorCode.INVALID_REQUEST,
                    "a request carries 1 to " + Limits.MAX_BATCH_SIZE + " messages, this one " + count, requestId));
            return;
        }
        SubmitResponse.Builder response = SubmitResponse.newBuilder().setRequestId(requestId);
        for (Message message : request.getMessagesList()) {
            response.addResults(acceptances.accept(message));
        }
        answer(ctx, ServerFrame.newBuilder().setResult(response).build());
    }

    private void answer(ChannelHandlerContext ctx, ServerFrame frame) {
        ctx.write(frame, ctx.voidPromise());
        unflushed = true;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing) {
            return;
        }
        if (cause instanceof TooLongFrameException) {
            closeWith(ctx, error(ErrorCode.FRAME_TOO_LARGE, "the frame exceeds " + Limits.MAX_FRAME_BYTES + " bytes", 0));
        } else if (cause instanceof CorruptedFrameException
                || cause instanceof DecoderException && cause.getCause() instanceof InvalidProtocolBufferException) {
            closeWith(ctx, error(ErrorCode.MALFORMED_FRAME, "the frame is not a valid ClientFrame", 0));
        } else if (cause instanceof IOException) {
            ctx.close();
        } else {
            log.log(System.Logger.Level.WARNING, "closing a baseline TCP connection after an unexpected error", cause);
            closeWith(ctx, error(ErrorCode.INTERNAL, "unexpected server error", 0));
        }
    }

    /** Sends a last error frame after the answers already written, then closes. */
    private void closeWith(ChannelHandlerContext ctx, ServerFrame error) {
        closing = true;
        unflushed = false;
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
    }

    private static ServerFrame error(ErrorCode code, String detail, long requestId) {
        return ServerFrame.newBuilder().setError(Error.newBuilder()
                .setCode(code)
                .setDetail(detail)
                .setRequestId(requestId)).build();
    }
}
