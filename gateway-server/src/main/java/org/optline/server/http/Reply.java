package org.optline.server.http;

import com.google.protobuf.Message;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.optline.proto.v1.ErrorBody;

/**
 * How to answer a request, decided wherever the service's future completed (often the store's
 * writer thread) but not yet turned into protobuf or bytes: that happens in {@link #encode}, on
 * the connection's event loop, so that no thread that serves the store ever prints JSON.
 */
final class Reply {
    private final HttpResponseStatus status;
    private final Supplier<? extends Message> body;
    private final Supplier<String> text;
    private final String contentType;
    private final boolean alwaysJson;
    private final List<Object[]> headers = new ArrayList<>(1);
    private Runnable undelivered;

    private Reply(HttpResponseStatus status, Supplier<? extends Message> body, Supplier<String> text,
                  String contentType, boolean alwaysJson) {
        this.status = status;
        this.body = body;
        this.text = text;
        this.contentType = contentType;
        this.alwaysJson = alwaysJson;
    }

    /** An answer whose body is {@code value} converted by {@code toProto}, later, on the event loop. */
    static <T> Reply of(HttpResponseStatus status, T value, Function<? super T, ? extends Message> toProto) {
        return new Reply(status, () -> toProto.apply(value), null, null, false);
    }

    static <T> Reply ok(T value, Function<? super T, ? extends Message> toProto) {
        return of(HttpResponseStatus.OK, value, toProto);
    }

    /** A plain-text (or preformatted) answer, such as the metrics. */
    static Reply text(HttpResponseStatus status, String contentType, Supplier<String> text) {
        return new Reply(status, null, text, contentType, true);
    }

    /** An error body, always JSON. */
    static Reply error(HttpResponseStatus status, String reason, String detail) {
        ErrorBody body = ErrorBody.newBuilder().setReason(reason).setDetail(detail).build();
        return new Reply(status, () -> body, null, null, true);
    }

    Reply header(String name, Object value) {
        headers.add(new Object[] {name, value});
        return this;
    }

    /**
     * What to undo when this answer cannot be written (the connection closed before it): a pull
     * gives its messages back at once rather than leave them leased to nobody.
     */
    Reply whenUndelivered(Runnable undo) {
        this.undelivered = undo;
        return this;
    }

    /** The answer could not be written. */
    void undelivered() {
        if (undelivered != null) {
            undelivered.run();
        }
    }

    HttpResponseStatus status() {
        return status;
    }

    /** The response, in protobuf when the client wants it and the answer is not an error or text. */
    FullHttpResponse encode(boolean protobuf) {
        FullHttpResponse response = text != null
                ? Bodies.text(status, contentType, text.get())
                : Bodies.response(status, body.get(), protobuf && !alwaysJson);
        for (Object[] header : headers) {
            response.headers().set((String) header[0], header[1]);
        }
        return response;
    }
}
