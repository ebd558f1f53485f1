package org.optline.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import org.optline.server.guard.Listener;
import org.optline.server.guard.Origins;

/**
 * Looks at each request's head before its body is aggregated: a request that will be refused
 * whatever its body says (no such route or method, a missing or wrong key) goes on at once as
 * its head alone, marked {@link BodyNotRead}, and its body is dropped as it arrives. So no
 * unauthenticated client can make the node buffer a body; the API handler answers the head and
 * closes the connection, since the rest of the body is still on the wire.
 */
final class BodyAfterCredentials extends ChannelInboundHandlerAdapter {
    private final HttpApi api;
    private boolean dropping;

    BodyAfterCredentials(HttpApi api) {
        this.api = api;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest head && !(msg instanceof FullHttpRequest)) {
            dropping = false;
            if (head.decoderResult().isSuccess() && hasBody(head) && !api.readsBodyOf(head, Origins.of(ctx.channel(), Listener.HTTP))) {
                dropping = true;
                FullHttpRequest headOnly = new DefaultFullHttpRequest(head.protocolVersion(), head.method(),
                        head.uri(), Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
                headOnly.setDecoderResult(DecoderResult.failure(BodyNotRead.INSTANCE));
                ctx.fireChannelRead(headOnly);
                if (msg instanceof HttpContent content) {
                    content.release();
                }
                return;
            }
        } else if (dropping && msg instanceof HttpContent content) {
            content.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean hasBody(HttpRequest head) {
        try {
            return HttpUtil.getContentLength(head, 0L) > 0 || HttpUtil.isTransferEncodingChunked(head);
        } catch (NumberFormatException e) {
            // The codec refuses a malformed length before this; should one pass, treat it as a body.
            return true;
        }
    }

    /** Marks a request passed on without its body, which was not read and will not be. */
    static final class BodyNotRead extends DecoderException {
        private static final long serialVersionUID = 1L;
        static final BodyNotRead INSTANCE = new BodyNotRead();

        private BodyNotRead() {
            super("the body was not read: the request is refused from its head");
            setStackTrace(new StackTraceElement[0]);
        }
    }
}
