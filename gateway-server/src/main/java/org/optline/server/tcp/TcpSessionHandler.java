package org.optline.server.tcp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.optline.core.business.Business;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.proto.v1.Authenticated;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Error;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.Pong;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.proto.v1.SubmitResponse;
import org.optline.server.ServerContext;
import org.optline.server.wire.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One binary-protocol connection: authenticate first, then pipelined submissions, each
 * answered with its request_id whenever admission completes it (answers may overtake each
 * other). Reading pauses while {@code tcp.max-in-flight} requests are unanswered, while the
 * socket cannot take more output, or for the retry-after delay once admission answers
 * OVERLOADED; it resumes when half of the requests are answered and the rest has cleared.
 */
final class TcpSessionHandler extends SimpleChannelInboundHandler<ClientFrame> {
    private static final Logger log = LoggerFactory.getLogger(TcpSessionHandler.class);

    private final ServerContext server;
    private final int maxInFlight;
    private Business business;
    private int inFlight;
    /** True while reading is paused because admission answered OVERLOADED. */
    private boolean backingOff;
    /** Set by a closing error: frames already decoded from the same read are not looked at. */
    private boolean closing;

    TcpSessionHandler(ServerContext server) {
        this.server = server;
        this.maxInFlight = server.config().tcpMaxInFlight();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientFrame frame) {
        if (closing) {
            return;
        }
        switch (frame.getKindCase()) {
            case AUTHENTICATE -> authenticate(ctx, frame.getAuthenticate().getApiKey());
            case SUBMIT -> submit(ctx, frame.getSubmit());
            case PING -> ctx.writeAndFlush(ServerFrame.newBuilder()
                    .setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce())).build());
            default -> ctx.writeAndFlush(error(ErrorCode.INVALID_REQUEST, "empty frame", 0));
        }
    }

    private void authenticate(ChannelHandlerContext ctx, String apiKey) {
        if (business != null) {
            ctx.writeAndFlush(error(ErrorCode.INVALID_REQUEST, "already authenticated", 0));
            return;
        }
        business = server.directory().authenticate(apiKey).orElse(null);
        if (business == null) {
            closeWith(ctx, error(ErrorCode.UNAUTHENTICATED, "wrong API key", 0));
            return;
        }
        ctx.writeAndFlush(ServerFrame.newBuilder().setAuthenticated(Authenticated.newBuilder()
                .setBusinessId(business.id())
                .setMaxBatchSize(server.admission().policy().maxBatchSize())
                .setMaxInFlight(maxInFlight)).build());
    }

    private void submit(ChannelHandlerContext ctx, SubmitRequest request) {
        long requestId = request.getRequestId();
        if (business == null) {
            closeWith(ctx, error(ErrorCode.UNAUTHENTICATED, "authenticate first", requestId));
            return;
        }
        if (!server.lifecycle().isReady()) {
            ctx.writeAndFlush(error(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down; reconnect elsewhere",
                    requestId));
            return;
        }
        int count = request.getMessagesCount();
        int maxBatch = server.admission().policy().maxBatchSize();
        if (count == 0 || count > maxBatch) {
            ctx.writeAndFlush(error(ErrorCode.INVALID_REQUEST,
                    "a request carries 1 to " + maxBatch + " messages, this one " + count, requestId));
            return;
        }
        inFlight++;
        updateAutoRead(ctx);
        server.lifecycle().started();
        server.admission().admit(business, Wire.submissions(request.getMessagesList()))
                .whenComplete((outcomes, failure) -> ctx.executor().execute(
                        () -> answer(ctx, requestId, outcomes, failure)));
    }

    private void answer(ChannelHandlerContext ctx, long requestId, List<Outcome> outcomes, Throwable failure) {
        inFlight--;
        ServerFrame frame;
        if (failure != null) {
            log.error("admission failed unexpectedly", failure);
            frame = error(ErrorCode.INTERNAL, "unexpected server error; retry", requestId);
        } else {
            frame = ServerFrame.newBuilder().setResult(SubmitResponse.newBuilder()
                    .setRequestId(requestId)
                    .addAllResults(Wire.results(outcomes))).build();
            backOffIfOverloaded(ctx, outcomes);
        }
        // The request stays in flight until its answer is written, so that a shutdown waits for it.
        ctx.writeAndFlush(frame).addListener(written -> server.lifecycle().finished());
        updateAutoRead(ctx);
    }

    /**
     * When storage cannot keep up, stop reading this connection for the retry-after delay: the
     * client's next requests wait in its own socket buffer instead of being refused one by one.
     */
    private void backOffIfOverloaded(ChannelHandlerContext ctx, List<Outcome> outcomes) {
        if (backingOff) {
            return;
        }
        long retryAfter = outcomes.stream().filter(o -> o.reason() == Reason.OVERLOADED)
                .mapToLong(Outcome::retryAfterMillis).max().orElse(-1);
        if (retryAfter < 0) {
            return;
        }
        backingOff = true;
        ctx.executor().schedule(() -> {
            backingOff = false;
            updateAutoRead(ctx);
        }, Math.max(1, retryAfter), TimeUnit.MILLISECONDS);
    }

    /** Reads only while there is room for more work and the client keeps reading its answers. */
    private void updateAutoRead(ChannelHandlerContext ctx) {
        var config = ctx.channel().config();
        boolean writable = ctx.channel().isWritable();
        if (config.isAutoRead()) {
            if (inFlight >= maxInFlight || !writable || backingOff) {
                config.setAutoRead(false);
            }
        } else if (inFlight <= maxInFlight / 2 && writable && !backingOff && !closing) {
            config.setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        updateAutoRead(ctx);
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            if (inFlight == 0) {
                closeWith(ctx, error(ErrorCode.IDLE_TIMEOUT, "no frame within the idle timeout", 0));
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            closeWith(ctx, error(ErrorCode.FRAME_TOO_LARGE, cause.getMessage(), 0));
        } else if (cause instanceof CorruptedFrameException
                || cause instanceof DecoderException && cause.getCause() instanceof InvalidProtocolBufferException) {
            closeWith(ctx, error(ErrorCode.MALFORMED_FRAME, "the frame is not a valid ClientFrame", 0));
        } else if (cause instanceof IOException) {
            ctx.close();
        } else {
            log.warn("closing a TCP connection after an unexpected error", cause);
            closeWith(ctx, error(ErrorCode.INTERNAL, "unexpected server error", 0));
        }
    }

    /** Sends a last error frame, then closes; the connection is not trusted after it. */
    private void closeWith(ChannelHandlerContext ctx, ServerFrame error) {
        closing = true;
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
    }

    static ServerFrame error(ErrorCode code, String detail, long requestId) {
        return ServerFrame.newBuilder().setError(Error.newBuilder()
                .setCode(code)
                .setDetail(detail)
                .setRequestId(requestId)).build();
    }
}
