package org.optline.server.delivery;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.optline.proto.v1.PushFrame;

/** The recipient's app on the push channel, with the JDK's own WebSocket client: frames in, commands out. */
final class PushClient implements WebSocket.Listener, AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<PushFrame> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private PushClient(int port, String recipientPath, String key) {
        this.socket = CLIENT.newWebSocketBuilder()
                .header("Authorization", "Bearer " + key)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + recipientPath + "/push"), this)
                .join();
    }

    static PushClient connect(int port, String recipient, String key) {
        return new PushClient(port, DeliveryApi.inbox(recipient), key);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            PushFrame.Builder frame = PushFrame.newBuilder();
            try {
                JsonFormat.parser().merge(partial.toString(), frame);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("not a PushFrame: " + partial, e);
            }
            partial.setLength(0);
            frames.add(frame.build());
        }
        webSocket.request(1);
        return null;
    }

    /** The next frame, waiting at most ten seconds. */
    PushFrame next() {
        try {
            PushFrame frame = frames.poll(10, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no push frame within ten seconds");
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame if one comes within {@code millis}; null otherwise. */
    /** The next frame, which must be a message; its id. */
    String nextMessageId() {
        PushFrame frame = next();
        if (frame.getKindCase() != PushFrame.KindCase.MESSAGE) {
            throw new AssertionError("expected a message, got " + frame);
        }
        return frame.getMessage().getMessageId();
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    void acknowledge(String commandId, List<String> ids) {
        send("{\"commandId\":\"" + commandId + "\",\"ack\":" + DeliveryApi.ids(ids.toArray(String[]::new)) + "}");
    }

    /** Drops the connection without a closing handshake, as a phone losing its network does. */
    void drop() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }
}
