package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.SubmitMessagesRequest;

class HttpConnectionTest {
    private final GatewayRequests requests = new GatewayRequests("127.0.0.1", 8080);
    private final RunMessages messages = new RunMessages("run", new Recipients(10), MessageMix.balanceAlertsOnly(), 1_000);

    @Test
    void sendsAProtobufPostWithTheBearerKey() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpClientInitializer());
        new HttpConnection(channel).exchange(requests.submit("olk_test", List.of(messages.message(0), messages.message(1), messages.message(2))));

        String sent = outbound(channel);

        assertThat(sent).startsWith("POST /v1/messages HTTP/1.1\r\n")
                .contains("authorization: Bearer olk_test\r\n")
                .contains("content-type: application/x-protobuf\r\n")
                .contains("host: 127.0.0.1:8080\r\n");
    }

    @Test
    void completesTheExchangeWithTheResponseEvenWhenItArrivesInPieces() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpClientInitializer());
        CompletableFuture<HttpReply> reply = new HttpConnection(channel)
                .exchange(requests.submit("olk_test", List.of(messages.message(0))));
        channel.releaseOutbound();

        String response = "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n"
                + "retry-after: 1\r\ncontent-length: 25\r\n\r\n{\"reason\":\"RATE_LIMITED\"}";
        for (String piece : List.of(response.substring(0, 30), response.substring(30))) {
            channel.writeInbound(Unpooled.copiedBuffer(piece, StandardCharsets.US_ASCII));
        }

        assertThat(reply).isDone();
        assertThat(reply.get().status()).isEqualTo(429);
        assertThat(reply.get().keepAlive()).isTrue();
        assertThat(reply.get().errorReason()).contains("RATE_LIMITED");
    }

    @Test
    void aConnectionLostBeforeTheReplyFailsTheExchange() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpClientInitializer());
        CompletableFuture<HttpReply> reply = new HttpConnection(channel)
                .exchange(requests.submit("olk_test", List.of(messages.message(0))));
        channel.releaseOutbound();

        channel.close();

        assertThat(reply).isCompletedExceptionally();
        assertThat(cause(reply)).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void anExchangeOnAClosedConnectionFailsAndReleasesTheRequest() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpClientInitializer());
        HttpConnection connection = new HttpConnection(channel);
        channel.close();
        FullHttpRequest request = requests.submit("olk_test", List.of(messages.message(0)));

        CompletableFuture<HttpReply> reply = connection.exchange(request);

        assertThat(reply).isCompletedExceptionally();
        assertThat(request.refCnt()).isZero();
    }

    @Test
    void theSubmitBodyCarriesTheBatch() throws Exception {
        FullHttpRequest request = requests.submit("olk_test", List.of(messages.message(0), messages.message(1), messages.message(2), messages.message(3)));
        try {
            byte[] body = new byte[request.content().readableBytes()];
            request.content().getBytes(0, body);
            assertThat(SubmitMessagesRequest.parseFrom(body).getMessagesCount()).isEqualTo(4);
        } finally {
            request.release();
        }
    }

    private static String outbound(EmbeddedChannel channel) {
        StringBuilder sent = new StringBuilder();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            sent.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return sent.toString();
    }

    private static Throwable cause(CompletableFuture<?> future) {
        try {
            future.get();
            throw new AssertionError("completed normally");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
