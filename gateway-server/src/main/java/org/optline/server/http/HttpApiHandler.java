package org.optline.server.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;
import org.optline.server.Lifecycle;
import org.optline.server.flow.ReadGate;
import org.optline.core.business.Origin;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StorageFault;
import org.optline.core.storage.StorageUnavailableException;
import org.optline.server.guard.Listener;
import org.optline.server.guard.Origins;
import org.optline.server.guard.UnexpectedErrors;

/**
 * One HTTP connection: hands each request to the {@link HttpApi}, and writes the answers in
 * request order (HTTP/1.1 pipelining allows several requests before the first answer), each
 * encoded on this event loop when its turn comes. Reading pauses while {@code http.max-in-flight}
 * requests are unanswered or while the socket cannot take more output, so a client that
 * pipelines and never reads cannot grow the outbound buffer without bound.
 */
final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** The connection's read gate, for the handlers before this one that pause reading too (an upload's spooling). */
    static final AttributeKey<ReadGate> GATE = AttributeKey.valueOf("optline-read-gate");
    private final HttpApi api;
    private final Lifecycle lifecycle;
    private final ReadGate gate;
    private final UnexpectedErrors unexpected;
    private final PushOpener push;
    private final ArrayDeque<HttpApi.Answer> unanswered = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Origin origin;
    /** Set after a request that could not be read: answer what is queued, then close. */
    private boolean closeWhenAnswered;

    /** Turns the connection into a push subscription for a recipient, once the route table allowed it. */
    @FunctionalInterface
    interface PushOpener {
        void open(ChannelHandlerContext ctx, FullHttpRequest request, PhoneNumber recipient);
    }

    HttpApiHandler(HttpApi api, Lifecycle lifecycle, int maxInFlight) {
        this(api, lifecycle, maxInFlight, new UnexpectedErrors(), (ctx, request, recipient) -> {
            throw new IllegalStateException("this handler opens no push channel");
        });
    }

    HttpApiHandler(HttpApi api, Lifecycle lifecycle, int maxInFlight, UnexpectedErrors unexpected, PushOpener push) {
        this.api = api;
        this.lifecycle = lifecycle;
        this.gate = new ReadGate(maxInFlight);
        this.unexpected = unexpected;
        this.push = push;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().attr(GATE).set(gate);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (closeWhenAnswered) {
            return;
        }
        HttpApi.Upgrade upgrade = request.decoderResult().isSuccess() && PushUpgrade.isUpgrade(request)
                && unanswered.isEmpty() ? api.upgrade(request, origin()) : null;
        if (upgrade != null && upgrade.recipient() != null) {
            // From here the connection is a push subscription, no longer an HTTP exchange.
            push.open(ctx, request, upgrade.recipient());
            return;
        }
        // In flight from now until its answer is written, so that a shutdown waits for the answer.
        lifecycle.started();
        HttpApi.Answer answer;
        if (upgrade != null) {
            answer = upgrade.refusal();
        } else if (request.decoderResult().isFailure()) {
            // The stream position is unknown after this: answer in turn, read nothing more, close.
            closeWhenAnswered = true;
            gate.close(ctx.channel());
            LingeringClose.request(ctx.channel());
            Throwable cause = request.decoderResult().cause();
            answer = cause instanceof BodyAfterCredentials.BodyNotRead ? api.serve(request, origin())
                    : HttpApi.Answer.now(unreadable(cause));
        } else {
            answer = api.serve(request, origin());
        }
        unanswered.addLast(answer);
        gate.started(ctx.channel());
        if (answer.reply().isDone()) {
            writeAnswered();
        } else {
            answer.reply().whenComplete((reply, failure) -> ctx.executor().execute(this::writeAnswered));
        }
    }

    /** Where this connection comes from; the same for all its requests, so looked up once. */
    private Origin origin() {
        if (origin == null) {
            origin = Origins.of(ctx.channel(), Listener.HTTP);
        }
        return origin;
    }

    /** Writes every answer at the head of the queue that is ready, in request order. */
    private void writeAnswered() {
        boolean wrote = false;
        ChannelFuture last = null;
        while (!unanswered.isEmpty() && unanswered.peekFirst().reply().isDone()) {
            HttpApi.Answer answer = unanswered.pollFirst();
            Reply reply = replyOf(answer);
            FullHttpResponse response = encode(reply, answer.protobuf());
            if (closeWhenAnswered && unanswered.isEmpty()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            last = ctx.write(response);
            last.addListener(written -> {
                lifecycle.finished();
                if (!written.isSuccess()) {
                    reply.undelivered();
                }
            });
            gate.finished(ctx.channel());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (closeWhenAnswered && unanswered.isEmpty() && last != null) {
            // Closed once the answer is written, not before: the close lingers (LingeringClose),
            // and shutting the output down earlier would drop the answer still being written.
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse encode(Reply reply, boolean protobuf) {
        try {
            return reply.encode(protobuf);
        } catch (RuntimeException bug) {
            unexpected.report("encoding an HTTP answer", bug);
            return internalError().encode(false);
        }
    }

    /** The reply, or the error a failed future stands for. */
    private Reply replyOf(HttpApi.Answer answer) {
        try {
            return answer.reply().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpError error) {
                return error.reply();
            }
            if (cause instanceof StoreExecutor.StoreBusyException) {
                return new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "OVERLOADED",
                        "the store is busy; retry shortly").reply();
            }
            StorageUnavailableException unavailable = StorageUnavailableException.of(cause);
            if (unavailable != null) {
                return unavailable(unavailable);
            }
            if (cause instanceof CancellationException) {
                // Given up because the client went away: nobody reads this answer.
                return new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "CANCELLED", "the request was cancelled")
                        .reply();
            }
            unexpected.report("answering an HTTP request", cause);
            return internalError();
        }
    }

    private static Reply internalError() {
        return Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "INTERNAL", "unexpected server error");
    }

    /**
     * A write the store cannot take now, or a read that met damage: 503 with the store's retry
     * delay. Nothing was written. Logged by the store's health once, not here once per request.
     */
    private static Reply unavailable(StorageUnavailableException e) {
        boolean corrupt = e.fault() == StorageFault.CORRUPT;
        return Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, corrupt ? "STORE_CORRUPT" : "STORAGE_UNAVAILABLE",
                        corrupt ? "the gateway's store is damaged; nothing was written; retry on another node"
                                : "the gateway cannot write to its store now (" + (e.fault() == StorageFault.DISK_FULL
                                ? "its disk is full" : "a write failed") + "); nothing was written; retry later")
                .header("Retry-After", Math.max(1, e.retryAfter().toSeconds()));
    }

    /** The answer to a request the codec could not read: too long a line, headers or body, or not HTTP. */
    private static Reply unreadable(Throwable cause) {
        Reply reply;
        if (cause instanceof TooLongHttpContentException) {
            reply = Reply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE", cause.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            reply = Reply.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "HEADERS_TOO_LARGE",
                    "the request line or headers exceed the limit");
        } else {
            reply = Reply.error(HttpResponseStatus.BAD_REQUEST, "MALFORMED_REQUEST",
                    "the request is not valid HTTP/1.1");
        }
        return reply.header(HttpHeaderNames.CONNECTION.toString(), HttpHeaderValues.CLOSE);
    }

    /** The client went away: what waits for an answer nobody will read is told so (a long-poll stops). */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (HttpApi.Answer answer : List.copyOf(unanswered)) {
            answer.abandon();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        gate.update(ctx.channel());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && unanswered.isEmpty()) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that resets or closes mid-request is ordinary network life, not worth a warning.
        if (!(cause instanceof IOException) && !(cause instanceof PrematureChannelClosureException)
                && !(cause instanceof DecoderException)) {
            unexpected.report("on an HTTP connection, which is closed", cause);
        }
        ctx.close();
    }
}
