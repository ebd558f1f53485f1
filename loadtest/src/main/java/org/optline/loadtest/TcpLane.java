package org.optline.loadtest;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.Authenticated;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Error;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.Ping;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.proto.v1.SubmitResponse;

/**
 * One binary-protocol connection of an open-model run: authenticates, then sends due requests
 * claimed from the {@link OpenLoop}, up to a window of them in flight, each a batch of
 * messages. Stateful, so one per connection; everything but {@link #hasRoom()} and
 * {@link #wake()} runs on the connection's event loop.
 */
final class TcpLane extends SimpleChannelInboundHandler<ServerFrame> implements Lane {
    /** The cause for requests still in flight when the connection closes for another reason. */
    static final String CONNECTION_CLOSED = "connection closed";
    /** The cause when the run closes the connection at its end. */
    static final String RUN_OVER = "run over";

    private final String apiKey;
    private final int inFlight;
    private final int batch;
    private final RunMessages messages;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /** The requests in flight; a request's id on the wire is its number in the run plus one. */
    private final Set<Long> pending = new HashSet<>();

    private ChannelHandlerContext ctx;
    private volatile OpenLoop loop;
    private volatile boolean room;
    private volatile boolean open = true;
    private int window;
    private boolean authenticated;
    /** True once a problem that explains the close was counted, so it is not counted twice. */
    private boolean problemCounted;
    private String closeCause = CONNECTION_CLOSED;
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
        ctx.writeAndFlush(hello).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ServerFrame frame) {
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
        for (long requestId : pending) {
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
            ctx.writeAndFlush(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(System.nanoTime())).build())
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
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

    private void onResult(SubmitResponse response) {
        long requestId = response.getRequestId();
        if (!pending.remove(requestId)) {
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

    private void onError(Error error) {
        String cause = "error " + error.getCode();
        long requestId = error.getRequestId();
        if (requestId != 0 && pending.remove(requestId)) {
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
            pending.add(requestId);
            SubmitRequest.Builder submit = SubmitRequest.newBuilder().setRequestId(requestId);
            long first = request * batch;
            for (int i = 0; i < batch; i++) {
                submit.addMessages(messages.message(first + i));
            }
            ctx.write(ClientFrame.newBuilder().setSubmit(submit).build())
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
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
