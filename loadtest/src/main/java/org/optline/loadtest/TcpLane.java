package org.optline.loadtest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.Authenticated;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Error;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.Ping;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitResponse;

/**
 * One binary-protocol connection of an open-model run: authenticates, then sends due requests
 * claimed from the {@link OpenLoop}, up to a window of them in flight, each a batch of
 * messages. Stateful, so one per connection; everything but {@link #hasRoom()} and
 * {@link #wake()} runs on the connection's event loop.
 *
 * <p>Requests are written as frames straight from the {@link RunMessages} (no protobuf
 * builder), and results are counted from their bytes by {@link ResultCounts}; any other frame,
 * and every result when the consumer side needs the message ids, is parsed whole.
 */
final class TcpLane extends SimpleChannelInboundHandler<ByteBuf> implements Lane {
    /** The cause for requests still in flight when the connection closes for another reason. */
    static final String CONNECTION_CLOSED = "connection closed";
    /** The cause when the run closes the connection at its end. */
    static final String RUN_OVER = "run over";
    /** What a message of the mix takes on the wire, about: the first size of the encoding buffer. */
    private static final int ENCODED_MESSAGE_BYTES = 100;
    /** ClientFrame.submit: field 2, length-delimited. */
    private static final int SUBMIT_TAG = (2 << 3) | WireWriter.LEN;
    /** SubmitRequest's fields. */
    private static final int REQUEST_ID = 1;
    private static final int MESSAGES = 2;

    private final String apiKey;
    private final int inFlight;
    private final int batch;
    private final RunMessages messages;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /** The requests in flight, by their id on the wire: the request's number in the run plus one. */
    private final LongObjectMap<Boolean> pending = new LongObjectHashMap<>();
    /** Where requests are encoded, one at a time. */
    private final WireWriter writer;
    /** Where the results of an answer are counted, one answer at a time. */
    private final ResultCounts results = new ResultCounts();

    private ChannelHandlerContext ctx;
    private volatile OpenLoop loop;
    private volatile boolean room;
    private volatile boolean open = true;
    private int window;
    private boolean authenticated;
    /** True once a problem that explains the close was counted, so it is not counted twice. */
    private boolean problemCounted;
    private String closeCause = CONNECTION_CLOSED;
    /** True while answers are being read: requests they free are flushed once, when the read ends. */
    private boolean reading;
    /** True when requests were written during a read and wait for its end to be flushed. */
    private boolean unflushed;
    /** Where problems are counted before the run begins, and after. */
    private final Tally problems;

    /** The consumer side to tell of accepted messages, or null when there is none. */
    private final InboxReader reader;

    TcpLane(String apiKey, int inFlight, int batch, RunMessages messages, Tally problems) {
        this(apiKey, inFlight, batch, messages, problems, null);
    }

    TcpLane(String apiKey, int inFlight, int batch, RunMessages messages, Tally problems, InboxReader reader) {
        this.reader = reader;
        this.apiKey = apiKey;
        this.inFlight = inFlight;
        this.batch = batch;
        this.messages = messages;
        this.problems = problems;
        this.writer = new WireWriter(batch * ENCODED_MESSAGE_BYTES);
    }

    /** Completes when the gateway accepted the key; exceptionally when the connection ended first. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Starts claiming requests from {@code run}; before this the lane only authenticates. */
    void begin(OpenLoop run) {
        this.loop = run;
        wake();
    }

    @Override
    public boolean hasRoom() {
        return room;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void wake() {
        // one wake task in the event loop's queue at a time is enough: it claims all that is due
        if (ctx != null && wakePending.compareAndSet(false, true)) {
            ctx.executor().execute(() -> {
                wakePending.set(false);
                fill();
            });
        }
    }

    /** Closes the connection; what is in flight is counted as unanswered under {@code cause}. */
    void stop(String cause) {
        if (ctx.executor().inEventLoop()) {
            close(cause);
        } else {
            ctx.executor().execute(() -> close(cause));
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ClientFrame hello = ClientFrame.newBuilder()
                .setAuthenticate(Authenticate.newBuilder().setApiKey(apiKey))
                .build();
        ctx.writeAndFlush(delimited(ctx, hello)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        reading = true;
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        // one flush, so one system call, for every request that this read's answers made room for
        reading = false;
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf bytes) {
        if (reader == null) {
            switch (results.readServerFrame(bytes, batch)) {
                case RESULT -> {
                    onResult(results);
                    return;
                }
                case MALFORMED -> {
                    malformed();
                    return;
                }
                case OTHER -> {
                    // parsed whole below
                }
            }
        }
        ServerFrame frame;
        try {
            frame = ServerFrame.parseFrom(bytes.nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            malformed();
            return;
        }
        switch (frame.getKindCase()) {
            case AUTHENTICATED -> onAuthenticated(frame.getAuthenticated());
            case RESULT -> onResult(frame.getResult());
            case ERROR -> onError(frame.getError());
            default -> {
                // a Pong, or a kind this client does not know yet: nothing to count
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        room = false;
        open = false;
        if (!authenticated && !problemCounted) {
            problems.problem("not authenticated: " + closeCause);
        } else if (!problemCounted && !RUN_OVER.equals(closeCause)) {
            // the gateway or the network ended it while the run still needed it
            problems.problem("connection lost: " + closeCause);
        }
        ready.completeExceptionally(new IllegalStateException(closeCause));
        OpenLoop run = loop;
        for (long requestId : pending.keySet()) {
            long request = requestId - 1;
            run.tally(request).unanswered(closeCause, batch);
            run.unanswered(request);
        }
        pending.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ClientFrame ping = ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(System.nanoTime())).build();
            ctx.writeAndFlush(delimited(ctx, ping)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String problem = "transport error: " + cause.getClass().getSimpleName();
        countProblem(problem);
        close(problem);
    }

    private void onAuthenticated(Authenticated granted) {
        if (granted.getMaxBatchSize() > 0 && granted.getMaxBatchSize() < batch) {
            // sending smaller batches would quietly change the run's rate of requests
            countProblem("--batch " + batch + " is above the gateway's limit of " + granted.getMaxBatchSize());
            close("batch too large");
            return;
        }
        // the server stops reading past its own limit, so ours is only ever lowered to it
        window = granted.getMaxInFlight() > 0 ? Math.min(inFlight, granted.getMaxInFlight()) : inFlight;
        authenticated = true;
        room = true;
        ready.complete(null);
        fill();
    }

    /** A result counted from its bytes. */
    private void onResult(ResultCounts counted) {
        long requestId = counted.requestId();
        if (pending.remove(requestId) == null) {
            problems.problem("result for an unknown request");
            return;
        }
        long request = requestId - 1;
        OpenLoop run = loop;
        Tally tally = run.tally(request);
        tally.requestAnswered();
        tally.answered(counted, batch);
        run.answered(request);
        fill();
    }

    /** A result parsed whole: the consumer side needs its message ids. */
    private void onResult(SubmitResponse response) {
        long requestId = response.getRequestId();
        if (pending.remove(requestId) == null) {
            problems.problem("result for an unknown request");
            return;
        }
        long request = requestId - 1;
        OpenLoop run = loop;
        Tally tally = run.tally(request);
        tally.requestAnswered();
        tally.answered(response.getResultsList(), batch);
        if (reader != null) {
            reader.accepted(messages, request * batch, run.schedule().intendedNanos(request), response.getResultsList());
        }
        run.answered(request);
        fill();
    }

    /** After a frame that is not protobuf, the stream cannot be trusted: the connection ends. */
    private void malformed() {
        String problem = "malformed frame from the server";
        countProblem(problem);
        close(problem);
    }

    private void onError(Error error) {
        String cause = "error " + error.getCode();
        long requestId = error.getRequestId();
        if (requestId != 0 && pending.remove(requestId) != null) {
            // the request was refused as a whole: its messages have no answer of their own
            long request = requestId - 1;
            OpenLoop run = loop;
            Tally tally = run.tally(request);
            tally.requestAnswered();
            tally.unanswered(cause, batch);
            run.answered(request);
            fill();
            return;
        }
        countProblem(cause);
        if (closesConnection(error.getCode())) {
            close(cause);
        }
    }

    /** The codes after which the server closes the connection (frames.proto). */
    private static boolean closesConnection(ErrorCode code) {
        return switch (code) {
            case UNAUTHENTICATED, MALFORMED_FRAME, FRAME_TOO_LARGE, IDLE_TIMEOUT, SHUTTING_DOWN -> true;
            default -> false;
        };
    }

    /** Claims and sends due requests until the window is full or nothing is due. */
    private void fill() {
        OpenLoop run = loop;
        // once closing, a request sent now would never be counted at channelInactive
        if (run == null || !authenticated || !ctx.channel().isActive()) {
            return;
        }
        boolean wrote = false;
        // the window bounds what is queued for writing too, so isWritable needs no extra check
        while (true) {
            long request = pending.size() < window ? run.claim() : -1;
            if (request < 0) {
                room = pending.size() < window;
                // a request that became due after the claim above, while room still read false,
                // woke nobody: look once more now that room is visible
                if (!room || run.backlog() == 0 || (request = run.claim()) < 0) {
                    if (room) {
                        run.idle();
                    }
                    break;
                }
            }
            long requestId = request + 1;
            pending.put(requestId, Boolean.TRUE);
            // a failed write reaches exceptionCaught, which counts it and closes
            ctx.write(submit(requestId, request * batch), ctx.voidPromise());
            wrote = true;
        }
        if (wrote) {
            if (reading) {
                unflushed = true;
            } else {
                ctx.flush();
            }
        }
    }

    /** The frame of a SubmitRequest with the batch of messages from {@code first}, length prefix included. */
    private ByteBuf submit(long requestId, long first) {
        WireWriter out = writer;
        out.reset();
        out.varintField(REQUEST_ID, requestId);
        for (int i = 0; i < batch; i++) {
            int message = out.beginField(MESSAGES);
            messages.write(first + i, out);
            out.endField(message);
        }
        int submit = out.size();
        int frame = WireWriter.varintSize(SUBMIT_TAG) + WireWriter.varintSize(submit) + submit;
        ByteBuf buf = ctx.alloc().ioBuffer(WireWriter.varintSize(frame) + frame);
        WireWriter.writeVarint(buf, frame);
        WireWriter.writeVarint(buf, SUBMIT_TAG);
        WireWriter.writeVarint(buf, submit);
        out.copyTo(buf);
        return buf;
    }

    /** A frame that is rare enough to build with protobuf: the length prefix and the message. */
    private static ByteBuf delimited(ChannelHandlerContext ctx, MessageLite frame) {
        int size = frame.getSerializedSize();
        ByteBuf buf = ctx.alloc().ioBuffer(WireWriter.varintSize(size) + size);
        WireWriter.writeVarint(buf, size);
        buf.writeBytes(frame.toByteArray());
        return buf;
    }

    private void countProblem(String problem) {
        problems.problem(problem);
        problemCounted = true;
    }

    private void close(String cause) {
        if (CONNECTION_CLOSED.equals(closeCause)) {
            closeCause = cause;
        }
        room = false;
        ctx.close();
    }
}
