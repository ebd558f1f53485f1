package org.optline.loadtest;

import com.google.protobuf.MessageLite;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.optline.proto.v1.AckRequest;
import org.optline.proto.v1.ConsentAction;
import org.optline.proto.v1.ConsentChange;
import org.optline.proto.v1.ConsentClass;
import org.optline.proto.v1.ConsentSource;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.SubmitMessagesRequest;

/** The HTTP requests the harness makes of the gateway: protobuf bodies, bearer keys. */
final class GatewayRequests {
    static final String MESSAGES_PATH = "/v1/messages";
    static final String CONSENTS_PATH = "/v1/consents";
    static final String INBOX_PATH = "/v1/inbox";

    private final String hostHeader;

    GatewayRequests(String host, int port) {
        this.hostHeader = host + ":" + port;
    }

    /** {@code POST /v1/messages} with a batch, as the business {@code apiKey}. */
    FullHttpRequest submit(String apiKey, List<Message> messages) {
        return request(HttpMethod.POST, MESSAGES_PATH, apiKey,
                SubmitMessagesRequest.newBuilder().addAllMessages(messages).build());
    }

    /**
     * The head of every {@code POST /v1/messages} of a run as the business {@code apiKey}, in
     * bytes, up to the value of its Content-Length: the same request line and headers as
     * {@link #submit}, for a lane that writes its requests without an encoder. Header values are
     * written as ISO-8859-1, as Netty's encoder writes them.
     */
    byte[] submitHead(String apiKey) {
        String head = HttpMethod.POST.name() + " " + MESSAGES_PATH + " " + HttpVersion.HTTP_1_1 + "\r\n"
                + HttpHeaderNames.HOST + ": " + hostHeader + "\r\n"
                + HttpHeaderNames.AUTHORIZATION + ": Bearer " + apiKey + "\r\n"
                + HttpHeaderNames.CONTENT_TYPE + ": " + HttpReply.PROTOBUF + "\r\n"
                + HttpHeaderNames.ACCEPT + ": " + HttpReply.PROTOBUF + "\r\n"
                + HttpHeaderNames.CONTENT_LENGTH + ": ";
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code PUT /v1/consents}: the recipient opts in to the business's {@code consentClass},
     * as the platform {@code platformKey}; IMPORT is the source of a bulk load like this one.
     */
    FullHttpRequest optIn(String platformKey, String recipient, String businessId, ConsentClass consentClass) {
        ConsentChange change = ConsentChange.newBuilder()
                .setRecipient(recipient)
                .setBusinessId(businessId)
                .setAction(ConsentAction.OPT_IN)
                .setConsentClass(consentClass)
                .setSource(ConsentSource.IMPORT)
                .build();
        return request(HttpMethod.PUT, CONSENTS_PATH, platformKey, change);
    }

    /** {@code GET /v1/inbox/{recipient}?max=N}: the recipient's oldest queued messages, as the platform. */
    FullHttpRequest readInbox(String platformKey, String recipient, int max) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                INBOX_PATH + "/" + URLEncoder.encode(recipient, StandardCharsets.UTF_8) + "?max=" + max,
                Unpooled.EMPTY_BUFFER);
        HttpHeaders headers = request.headers();
        headers.set(HttpHeaderNames.HOST, hostHeader);
        headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + platformKey);
        headers.set(HttpHeaderNames.ACCEPT, HttpReply.PROTOBUF);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return request;
    }

    /** {@code POST /v1/inbox/{recipient}/ack}: the messages were delivered, as the platform. */
    FullHttpRequest acknowledge(String platformKey, String recipient, List<String> messageIds) {
        return request(HttpMethod.POST, INBOX_PATH + "/" + URLEncoder.encode(recipient, StandardCharsets.UTF_8)
                + "/ack", platformKey, AckRequest.newBuilder().addAllMessageIds(messageIds).build());
    }

    private FullHttpRequest request(HttpMethod method, String path, String key, MessageLite body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                Unpooled.wrappedBuffer(body.toByteArray()));
        HttpHeaders headers = request.headers();
        headers.set(HttpHeaderNames.HOST, hostHeader);
        headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + key);
        headers.set(HttpHeaderNames.CONTENT_TYPE, HttpReply.PROTOBUF);
        headers.set(HttpHeaderNames.ACCEPT, HttpReply.PROTOBUF);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        return request;
    }
}
