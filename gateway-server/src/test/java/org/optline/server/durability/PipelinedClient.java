package org.optline.server.durability;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitRequest;

/**
 * One TCP connection used the way a fast sender uses it: {@link #submit} writes a request as
 * soon as fewer than {@code maxInFlight} are unanswered, and a reader thread takes the answers
 * as they come and hands each message's result to a callback. When the server dies the reader
 * sees the end of the stream, and a writer blocked on a full window is let go.
 */
final class PipelinedClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int maxInFlight;
    private final Semaphore window;
    private final ConcurrentMap<Long, List<Message>> unanswered = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final Consumer<MessageResult> onResult;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread reader;
    private volatile boolean closed;
    private volatile String endedBecause = "";

    private PipelinedClient(Socket socket, int maxInFlight, Consumer<MessageResult> onResult) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.maxInFlight = maxInFlight;
        this.window = new Semaphore(maxInFlight);
        this.onResult = onResult;
        this.reader = new Thread(this::read, "pipelined-client-reader");
        this.reader.setDaemon(true);
    }

    /** Connects, authenticates (failing if the key is refused), and starts reading answers. */
    static PipelinedClient connect(int port, String apiKey, int maxInFlight, Consumer<MessageResult> onResult) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            // A live server answers in milliseconds; a read blocked this long means it hangs.
            socket.setSoTimeout(20_000);
            socket.setTcpNoDelay(true);
            PipelinedClient client = new PipelinedClient(socket, maxInFlight, onResult);
            ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(apiKey)).build()
                    .writeDelimitedTo(client.out);
            client.out.flush();
            ServerFrame answer = ServerFrame.parseDelimitedFrom(client.in);
            if (answer == null || !answer.hasAuthenticated()) {
                socket.close();
                throw new AssertionError("authentication refused: " + answer);
            }
            client.reader.start();
            return client;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Already failing.
            }
            throw new UncheckedIOException("cannot connect to the gateway on port " + port, e);
        }
    }

    /**
     * Writes one request once a slot in the window is free. Throws IOException when the
     * connection is gone (the request may or may not have reached the server).
     */
    void submit(List<Message> messages) throws IOException, InterruptedException {
        awaitSlot();
        send(messages);
    }

    /**
     * Waits until fewer than {@code maxInFlight} requests are unanswered and takes the free slot,
     * which the next {@link #send} uses. Throws IOException when the connection has ended.
     */
    void awaitSlot() throws IOException, InterruptedException {
        window.acquire();
        if (closed || ended.getCount() == 0) {
            throw new IOException("the connection has ended: " + endedBecause);
        }
    }

    /** Writes one request in the slot taken by {@link #awaitSlot}. */
    void send(List<Message> messages) throws IOException {
        long requestId = nextRequestId.getAndIncrement();
        unanswered.put(requestId, messages);
        ClientFrame.newBuilder().setSubmit(SubmitRequest.newBuilder()
                .setRequestId(requestId).addAllMessages(messages)).build().writeDelimitedTo(out);
        out.flush();
    }

    private void read() {
        try {
            while (true) {
                ServerFrame frame = ServerFrame.parseDelimitedFrom(in);
                if (frame == null) {
                    endedBecause = "end of stream";
                    return;
                }
                if (frame.hasResult()) {
                    List<Message> request = unanswered.remove(frame.getResult().getRequestId());
                    if (request == null) {
                        throw new IllegalStateException("an answer to an unknown request: " + frame);
                    }
                    frame.getResult().getResultsList().forEach(onResult);
                    window.release();
                } else if (frame.hasError()) {
                    // A request answered with an error frame stays unanswered: its messages are retried.
                    if (unanswered.remove(frame.getError().getRequestId()) != null) {
                        window.release();
                    }
                    System.out.println("error frame from the gateway: " + frame.getError());
                }
            }
        } catch (IOException | RuntimeException e) {
            endedBecause = e.toString();
        } finally {
            ended.countDown();
            // A writer waiting for a slot must learn that none will come.
            window.release(maxInFlight + 1);
        }
    }

    /** Waits until every request written so far has its answer; false if the connection ended first or time ran out. */
    boolean awaitAllAnswered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (unanswered.isEmpty()) {
                return true;
            }
            if (ended.await(5, TimeUnit.MILLISECONDS)) {
                return unanswered.isEmpty();
            }
        }
        return unanswered.isEmpty();
    }

    /** Waits until the reader has stopped (after the server died or the socket was closed). */
    boolean awaitEnded(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String endedBecause() {
        return endedBecause;
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a test socket: nothing to do about a failure.
        }
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
