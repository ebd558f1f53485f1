package org.optline.loadtest;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.Authenticated;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Error;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;
import org.optline.proto.v1.SubmitResponse;

/**
 * One binary-protocol connection of a run: authenticates, then keeps up to a window of
 * submissions in flight, claiming a new batch from the workload each time one is answered,
 * and closes when the workload is done and every submission is answered. Stateful, so one per
 * connection; everything runs on the connection's event loop.
 */
final class SubmitHandler extends SimpleChannelInboundHandler<ServerFrame> {
    /** The cause for submissions still in flight when the connection closes for another reason. */
    static final String CONNECTION_CLOSED = "connection closed";

    private final Workload workload;
    private final Tally tally;
    private final String apiKey;
    private final int inFlight;
    private final int batch;

    /** Request id to the number of messages it carries, for the submissions not yet answered. */
    private final Map<Long, Integer> pending = new HashMap<>();
    private ChannelHandlerContext ctx;
    // 0 is never sent: an Error frame with request_id 0 answers no request
    private long nextRequestId = 1;
    private int window;
    private int batchSize;
    private boolean authenticated;
    /** True once a problem that explains the close was counted, so it is not counted twice. */
    private boolean problemCounted;
    private String closeCause = CONNECTION_CLOSED;

    SubmitHandler(Workload workload, Tally tally, String apiKey, int inFlight, int batch) {
        this.workload = workload;
        this.tally = tally;
        this.apiKey = apiKey;
        this.inFlight = inFlight;
        this.batch = batch;
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
        if (!authenticated && !problemCounted) {
            tally.problem("not authenticated: " + closeCause);
        }
        long unanswered = pending.values().stream().mapToLong(Integer::longValue).sum();
        tally.unanswered(closeCause, unanswered);
        pending.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String problem = "transport error: " + cause.getClass().getSimpleName();
        countProblem(problem);
        close(problem);
    }

    private void onAuthenticated(Authenticated granted) {
        // the server stops reading past its own limits, so ours are only ever lowered to them
        window = granted.getMaxInFlight() > 0 ? Math.min(inFlight, granted.getMaxInFlight()) : inFlight;
        batchSize = granted.getMaxBatchSize() > 0 ? Math.min(batch, granted.getMaxBatchSize()) : batch;
        authenticated = true;
        fill();
    }

    private void onResult(SubmitResponse response) {
        Integer sent = pending.remove(response.getRequestId());
        if (sent == null) {
            tally.problem("result for an unknown request");
            return;
        }
        tally.requestAnswered();
        List<MessageResult> results = response.getResultsList();
        int counted = Math.min(sent, results.size());
        for (int i = 0; i < counted; i++) {
            tally.answered(results.get(i).getReason());
        }
        tally.unanswered("result missing", sent - counted);
        if (results.size() > sent) {
            tally.problem("more results than messages");
        }
        fill();
    }

    private void onError(Error error) {
        String cause = "error " + error.getCode();
        Integer sent = error.getRequestId() == 0 ? null : pending.remove(error.getRequestId());
        if (sent != null) {
            // the request was refused as a whole: its messages have no answer of their own
            tally.requestAnswered();
            tally.unanswered(cause, sent);
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

    /** Claims and sends batches until the window is full; closes when all work is answered. */
    private void fill() {
        // once closing, a submission added now would never be counted at channelInactive
        if (!authenticated || !ctx.channel().isActive()) {
            return;
        }
        boolean wrote = false;
        // the window bounds what is queued for writing too, so isWritable needs no extra check
        while (pending.size() < window) {
            List<Message> messages = workload.claim(batchSize);
            if (messages.isEmpty()) {
                break;
            }
            long requestId = nextRequestId++;
            pending.put(requestId, messages.size());
            ClientFrame submit = ClientFrame.newBuilder()
                    .setSubmit(SubmitRequest.newBuilder().setRequestId(requestId).addAllMessages(messages))
                    .build();
            ctx.write(submit).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        } else if (pending.isEmpty()) {
            close("done");
        }
    }

    private void countProblem(String problem) {
        tally.problem(problem);
        problemCounted = true;
    }

    private void close(String cause) {
        if (CONNECTION_CLOSED.equals(closeCause)) {
            closeCause = cause;
        }
        ctx.close();
    }
}
