package org.optline.loadtest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesResponse;

/**
 * One keep-alive HTTP/1.1 connection of an open-model run: one {@code POST /v1/messages} in
 * flight at a time (HTTP/1.1 without pipelining, as senders' HTTP clients work), each a due
 * request claimed from the {@link OpenLoop}. Stateful, so one per connection; everything but
 * {@link #hasRoom()}, {@link #wake()} and {@link #stop()} runs on the connection's event loop.
 *
 * <p>The lane writes each request's bytes itself, from a head made once per run and a body
 * written straight from the {@link RunMessages}; it reads the response's parts as the decoder
 * gives them and counts a protobuf results body from its bytes ({@link ResultCounts}). Only
 * an error, or a run with a consumer side (which needs the message ids), parses a body whole.
 */
final class HttpLane extends ChannelInboundHandlerAdapter implements Lane {
    /** What a message of the mix takes on the wire, about: the first size of the encoding buffer. */
    private static final int ENCODED_MESSAGE_BYTES = 100;
    /** SubmitMessagesRequest.messages: field 1. */
    private static final int MESSAGES = 1;
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private final byte[] head;
    private final int batch;
    private final RunMessages messages;
    private final Tally problems;
    /** The consumer side to tell of accepted messages, or null when there is none. */
    private final InboxReader reader;
    private final WireWriter writer;
    private final ResultCounts results = new ResultCounts();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Runnable wakeTask = () -> {
        wakePending.set(false);
        fill();
    };

    private ChannelHandlerContext ctx;
    private volatile OpenLoop loop;
    private volatile boolean room = true;
    private volatile boolean closed;
    /** The request in flight, or -1. */
    private long inFlight = -1;

    // the response being read
    private int status;
    private String contentType;
    private boolean keepAlive;
    /** The body's parts so far when it came in more than one; null otherwise. */
    private CompositeByteBuf body;

    /**
     * {@code head} is {@link GatewayRequests#submitHead}: the request line and headers up to the
     * Content-Length value.
     */
    HttpLane(byte[] head, int batch, RunMessages messages, Tally problems, InboxReader reader) {
        this.head = head.clone();
        this.batch = batch;
        this.messages = messages;
        this.problems = problems;
        this.reader = reader;
        this.writer = new WireWriter(batch * ENCODED_MESSAGE_BYTES);
    }

    /** Completes when the connection is open; exceptionally when it closed first. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Starts claiming requests from {@code run}. */
    void begin(OpenLoop run) {
        this.loop = run;
        wake();
    }

    @Override
    public boolean hasRoom() {
        return room && !closed;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void wake() {
        // one wake task in the event loop's queue at a time is enough: it claims what is due
        if (ctx != null && wakePending.compareAndSet(false, true)) {
            ctx.executor().execute(wakeTask);
        }
    }

    /** Sends nothing more and closes the connection; a request in flight counts as unanswered. */
    void stop() {
        closed = true;
        if (ctx != null) {
            ctx.channel().close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ready.complete(null);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse response) {
                if (response.decoderResult().isFailure()) {
                    problems.problem("unreadable HTTP response");
                    stop();
                    return;
                }
                status = response.status().code();
                contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
                keepAlive = HttpUtil.isKeepAlive(response);
            }
            if (msg instanceof HttpContent content) {
                onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        boolean stopped = closed;
        closed = true;
        room = false;
        ready.completeExceptionally(new IllegalStateException(HttpLanes.CONNECTION_CLOSED));
        releaseBody();
        long request = inFlight;
        inFlight = -1;
        OpenLoop run = loop;
        if (request >= 0 && run != null) {
            run.tally(request).unanswered(stopped ? "stopped" : HttpLanes.CONNECTION_CLOSED, batch);
            run.unanswered(request);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closed) {
            problems.problem("transport error: " + cause.getClass().getSimpleName());
        }
        stop();
    }

    private void onContent(HttpContent content) {
        ByteBuf part = content.content();
        boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure()) {
            problems.problem("unreadable HTTP response");
            stop();
            return;
        }
        if (last && body == null) {
            // the usual case: the whole body in one part, read where it lies
            replied(part);
            return;
        }
        if (body == null) {
            body = ctx.alloc().compositeBuffer();
        }
        if (body.readableBytes() + part.readableBytes() > HttpClientInitializer.MAX_RESPONSE_BYTES) {
            problems.problem("HTTP response larger than " + HttpClientInitializer.MAX_RESPONSE_BYTES + " bytes");
            stop();
            return;
        }
        body.addComponent(true, part.retain());
        if (last) {
            try {
                replied(body);
            } finally {
                releaseBody();
            }
        }
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    /** The response to the request in flight is complete, with {@code content} as its body. */
    private void replied(ByteBuf content) {
        long request = inFlight;
        inFlight = -1;
        OpenLoop run = loop;
        if (request < 0 || run == null) {
            // a response to nothing: the connection no longer pairs requests with responses
            problems.problem("an HTTP response to no request");
            stop();
            return;
        }
        Tally tally = run.tally(request);
        boolean keyAccepted;
        if (status == 200 && reader == null && HttpReply.isProtobuf(contentType)) {
            tally.requestAnswered();
            if (results.readSubmitMessagesResponse(content, batch)) {
                tally.answered(results, batch);
            } else {
                tally.unanswered(MALFORMED_BODY, batch);
            }
            keyAccepted = true;
        } else {
            HttpReply reply = new HttpReply(status, contentType, ByteBufUtil.getBytes(content), keepAlive);
            List<MessageResult> accepted = new ArrayList<>();
            keyAccepted = record(reply, batch, tally, problems, accepted::addAll);
            if (reader != null) {
                reader.accepted(messages, request * batch, run.schedule().intendedNanos(request), accepted);
            }
        }
        // settled only once counted, so a run that ends on this answer reports it
        run.answered(request);
        if (!keyAccepted) {
            stop();
            return;
        }
        if (!keepAlive) {
            problems.problem("the server closed an HTTP connection");
            stop();
            return;
        }
        room = true;
        fill();
    }

    private void fill() {
        OpenLoop run = loop;
        if (run == null || !room || closed || !ctx.channel().isActive()) {
            return;
        }
        long request = run.claim();
        if (request < 0) {
            run.idle();
            return;
        }
        room = false;
        inFlight = request;
        // a failed write reaches exceptionCaught, which closes; the request counts there as unanswered
        ctx.writeAndFlush(encode(request * batch), ctx.voidPromise());
    }

    /** The whole request, head and body, for the batch of messages from {@code first}. */
    private ByteBuf encode(long first) {
        WireWriter out = writer;
        out.reset();
        for (int i = 0; i < batch; i++) {
            int message = out.beginField(MESSAGES);
            messages.write(first + i, out);
            out.endField(message);
        }
        int length = out.size();
        ByteBuf request = ctx.alloc().ioBuffer(head.length + 10 + END_OF_HEAD.length + length);
        request.writeBytes(head);
        ByteBufUtil.writeAscii(request, Integer.toString(length));
        request.writeBytes(END_OF_HEAD);
        out.copyTo(request);
        return request;
    }

    /** The cause under which the messages of a 200 whose body is not a results message go unanswered. */
    static final String MALFORMED_BODY = "HTTP 200 malformed body";

    /**
     * Counts the reply to a request of {@code sent} messages. A 429 or 503 refuses every
     * message of the request, so each counts as RATE_LIMITED or OVERLOADED; other errors leave
     * the messages without an answer. False when the key was refused: no request will pass.
     */
    static boolean record(HttpReply reply, int sent, Tally tally, Tally problems) {
        return record(reply, sent, tally, problems, results -> { });
    }

    /** As {@link #record(HttpReply, int, Tally, Tally)}, also handing a 200's results to {@code results}. */
    static boolean record(HttpReply reply, int sent, Tally tally, Tally problems,
            Consumer<List<MessageResult>> results) {
        tally.requestAnswered();
        switch (reply.status()) {
            case 200 -> recordResults(reply, sent, tally, results);
            case 429 -> tally.answered(Reason.RATE_LIMITED, sent);
            case 503 -> tally.answered(Reason.OVERLOADED, sent);
            default -> {
                String cause = "HTTP " + reply.status() + reply.errorReason().map(r -> " " + r).orElse("");
                tally.unanswered(cause, sent);
                if (reply.status() == 401 || reply.status() == 403) {
                    problems.problem("key refused: HTTP " + reply.status());
                    return false;
                }
            }
        }
        return true;
    }

    private static void recordResults(HttpReply reply, int sent, Tally tally, Consumer<List<MessageResult>> results) {
        if (!reply.isProtobuf()) {
            tally.unanswered("HTTP 200 not protobuf", sent);
            return;
        }
        try {
            List<MessageResult> parsed = SubmitMessagesResponse.parseFrom(reply.body()).getResultsList();
            tally.answered(parsed, sent);
            results.accept(parsed);
        } catch (InvalidProtocolBufferException e) {
            tally.unanswered(MALFORMED_BODY, sent);
        }
    }
}
