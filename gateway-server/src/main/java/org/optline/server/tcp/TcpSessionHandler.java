package org.optline.server.tcp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.optline.core.business.Business;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.business.Origin;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.submission.SubmissionService;
import org.optline.core.submission.Submitted;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.server.Lifecycle;
import org.optline.server.config.GatewayConfig;
import org.optline.server.flow.ReadGate;
import org.optline.server.guard.GuardMetrics;
import org.optline.server.guard.Guards;
import org.optline.server.guard.LingeringClose;
import org.optline.server.guard.Origins;
import org.optline.server.guard.Listener;
import org.optline.server.wire.MessageWire;

/**
 * One binary-protocol session: authenticate first, then pipelined submissions handed to the
 * {@link SubmissionService}, each answered with its request_id whenever it completes (answers
 * may overtake each other). Its {@link ReadGate} pauses reading while {@code tcp.max-in-flight}
 * requests are unanswered, while the socket cannot take more output, or for the retry-after
 * delay once admission answers OVERLOADED. A connection that has not authenticated within the
 * authentication timeout is closed, so that an anonymous connection holds its slot briefly.
 */
final class TcpSessionHandler extends SimpleChannelInboundHandler<ClientFrame> {
    /** Long enough for the anonymous connections holding the budget to be refused or to finish. */
    private static final long RETRY_AFTER_UNAUTHENTICATED_MEMORY_MS = 1_000;

    /** How long a blocked address waits for its refusal: a second per attempt slows any loop. */
    private static final long BLOCKED_ANSWER_DELAY_MS = 1_000;

    private final SubmissionService submissions;
    private final BusinessDirectory directory;
    private final Lifecycle lifecycle;
    private final int maxInFlight;
    private final ReadGate gate;
    private final Duration authenticationTimeout;
    private final Guards guards;
    private ScheduledFuture<?> authenticationDeadline;
    private Business business;
    /** Set by a closing error: frames already decoded from the same read are not looked at. */
    private boolean closing;

    TcpSessionHandler(SubmissionService submissions, BusinessDirectory directory, Lifecycle lifecycle,
                      int maxInFlight) {
        this(submissions, directory, lifecycle, maxInFlight, GatewayConfig.DEFAULT_TCP_AUTHENTICATION_TIMEOUT,
                Guards.standalone());
    }

    TcpSessionHandler(SubmissionService submissions, BusinessDirectory directory, Lifecycle lifecycle,
                      int maxInFlight, Duration authenticationTimeout, Guards guards) {
        this.submissions = submissions;
        this.directory = directory;
        this.lifecycle = lifecycle;
        this.maxInFlight = maxInFlight;
        this.gate = new ReadGate(maxInFlight);
        this.authenticationTimeout = authenticationTimeout;
        this.guards = guards;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Added to a connection that is already open (not by the listener's initializer): no
        // channelActive will come, so the deadline starts now.
        if (ctx.channel().isActive()) {
            startAuthenticationDeadline(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startAuthenticationDeadline(ctx);
        super.channelActive(ctx);
    }

    private void startAuthenticationDeadline(ChannelHandlerContext ctx) {
        if (authenticationDeadline != null) {
            return;
        }
        authenticationDeadline = ctx.executor().schedule(() -> {
            if (business == null && !closing) {
                guards.metrics().closed(Listener.TCP, GuardMetrics.Closure.AUTHENTICATION_TIMEOUT);
                closeWith(ctx, Frames.error(ErrorCode.UNAUTHENTICATED, "authenticate within "
                        + authenticationTimeout.toMillis() + " ms of connecting", 0));
            }
        }, authenticationTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (authenticationDeadline != null) {
            authenticationDeadline.cancel(false);
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientFrame frame) {
        if (closing) {
            return;
        }
        switch (frame.getKindCase()) {
            case AUTHENTICATE -> authenticate(ctx, frame.getAuthenticate().getApiKey());
            case SUBMIT -> submit(ctx, frame.getSubmit());
            case PING -> ctx.writeAndFlush(Frames.pong(frame.getPing().getNonce()));
            default -> ctx.writeAndFlush(Frames.error(ErrorCode.INVALID_REQUEST, "empty frame", 0));
        }
    }

    private void authenticate(ChannelHandlerContext ctx, String apiKey) {
        if (business != null) {
            ctx.writeAndFlush(Frames.error(ErrorCode.INVALID_REQUEST, "already authenticated", 0));
            return;
        }
        Origin origin = Origins.of(ctx.channel(), Listener.TCP);
        Duration blocked = guards.authenticationFailures().blocked(origin.address(), Listener.TCP);
        if (!blocked.isZero()) {
            refuseBlocked(ctx, blocked);
            return;
        }
        BusinessDirectory.Check check = directory.check(apiKey, origin);
        if (!(check instanceof BusinessDirectory.Check.Business accepted)) {
            // A platform key is valid, just not here: not a guess.
            if (!apiKey.isEmpty() && !(check instanceof BusinessDirectory.Check.Platform)) {
                guards.authenticationFailures().failed(origin.address(), Listener.TCP);
            }
            closeWith(ctx, Frames.error(ErrorCode.UNAUTHENTICATED, "wrong API key (keys may be restricted to"
                    + " listeners, addresses or a client certificate)", 0));
            return;
        }
        business = accepted.business();
        if (authenticationDeadline != null) {
            authenticationDeadline.cancel(false);
        }
        if (ctx.pipeline().get(TcpServerInitializer.FRAME_DECODER) instanceof BoundedVarint32FrameDecoder decoder) {
            // Called while the decoder is passing frames on: the next frame of this very read may be large.
            decoder.authenticated();
        }
        ctx.writeAndFlush(Frames.authenticated(business.id(), submissions.maxBatchSize(), maxInFlight));
    }

    /**
     * The address failed too often: the key is not looked at, and the answer comes after a pause,
     * so that a guesser who reconnects at once gains nothing and waits.
     */
    private void refuseBlocked(ChannelHandlerContext ctx, Duration blocked) {
        closing = true;
        gate.close(ctx.channel());
        long retryAfterMs = Math.max(1, blocked.toMillis());
        ServerFrame refusal = Frames.retryableError(ErrorCode.TOO_MANY_FAILURES, "too many failed authentications"
                + " from your address; retry after " + retryAfterMs + " ms with the right key", retryAfterMs);
        ctx.executor().schedule(() -> closeWith(ctx, refusal), Math.min(BLOCKED_ANSWER_DELAY_MS, retryAfterMs),
                TimeUnit.MILLISECONDS);
    }

    private void submit(ChannelHandlerContext ctx, SubmitRequest request) {
        long requestId = request.getRequestId();
        if (business == null) {
            closeWith(ctx, Frames.error(ErrorCode.UNAUTHENTICATED, "authenticate first", requestId));
            return;
        }
        lifecycle.started();
        gate.started(ctx.channel());
        submissions.submit(business, MessageWire.submissions(request.getMessagesList()))
                .whenComplete((submitted, failure) -> ctx.executor().execute(
                        () -> answer(ctx, requestId, submitted, failure)));
    }

    private void answer(ChannelHandlerContext ctx, long requestId, Submitted submitted, Throwable failure) {
        ServerFrame frame;
        if (failure != null) {
            guards.unexpected().report("admitting a TCP request", failure);
            frame = Frames.error(ErrorCode.INTERNAL, "unexpected server error; retry", requestId);
        } else if (submitted instanceof Submitted.Answered answered) {
            frame = Frames.result(requestId, answered.outcomes());
            backOffIfOverloaded(ctx, answered.outcomes());
        } else if (submitted instanceof Submitted.WrongSize wrong) {
            frame = Frames.error(ErrorCode.INVALID_REQUEST, "a request carries 1 to " + wrong.maxMessages()
                    + " messages, this one " + wrong.messages(), requestId);
        } else {
            frame = Frames.error(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down; reconnect elsewhere",
                    requestId);
        }
        // The request stays in flight until its answer is written, so that a shutdown waits for it.
        ctx.writeAndFlush(frame).addListener(written -> lifecycle.finished());
        gate.finished(ctx.channel());
    }

    /**
     * When storage cannot keep up, stop reading this connection for the retry-after delay: the
     * client's next requests wait in its own socket buffer instead of being refused one by one.
     */
    private void backOffIfOverloaded(ChannelHandlerContext ctx, List<Outcome> outcomes) {
        if (gate.isBackingOff()) {
            return;
        }
        long retryAfter = outcomes.stream().filter(o -> o.reason() == Reason.OVERLOADED)
                .mapToLong(Outcome::retryAfterMillis).max().orElse(-1);
        if (retryAfter < 0) {
            return;
        }
        gate.beginBackOff(ctx.channel());
        ctx.executor().schedule(() -> gate.endBackOff(ctx.channel()), Math.max(1, retryAfter), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        gate.update(ctx.channel());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            if (gate.inFlight() == 0) {
                closeWith(ctx, Frames.error(ErrorCode.IDLE_TIMEOUT, "no frame within the idle timeout", 0));
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof BoundedVarint32FrameDecoder.UnauthenticatedMemoryExceeded) {
            guards.metrics().closed(Listener.TCP, GuardMetrics.Closure.UNAUTHENTICATED_MEMORY);
            closeWith(ctx, Frames.retryableError(ErrorCode.TOO_MANY_CONNECTIONS, "too many connections are sending"
                    + " without having authenticated; send Authenticate as the first frame and retry",
                    RETRY_AFTER_UNAUTHENTICATED_MEMORY_MS));
        } else if (cause instanceof TooLongFrameException) {
            closeWith(ctx, Frames.error(ErrorCode.FRAME_TOO_LARGE, cause.getMessage(), 0));
        } else if (cause instanceof CorruptedFrameException
                || cause instanceof DecoderException && cause.getCause() instanceof InvalidProtocolBufferException) {
            closeWith(ctx, Frames.error(ErrorCode.MALFORMED_FRAME, "the frame is not a valid ClientFrame", 0));
        } else if (cause instanceof IOException) {
            ctx.close();
        } else {
            guards.unexpected().report("on a TCP connection, which is closed", cause);
            closeWith(ctx, Frames.error(ErrorCode.INTERNAL, "unexpected server error", 0));
        }
    }

    /** Sends a last error frame, then closes; the connection is not trusted after it. */
    private void closeWith(ChannelHandlerContext ctx, ServerFrame error) {
        closing = true;
        gate.close(ctx.channel());
        LingeringClose.after(ctx.writeAndFlush(error));
    }
}
