package org.optline.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpContentException;

/**
 * Aggregates a request body up to {@code http.max-body-size}; a larger one is passed on as a
 * failed request, which the API handler answers 413 with its JSON error body before closing the
 * connection (the rest of the oversized body is not worth reading).
 */
final class BoundedAggregator extends HttpObjectAggregator {
    BoundedAggregator(int maxBodySize) {
        super(maxBodySize);
    }

    /**
     * Hands the API handler a request marked as failed instead of answering here, so that the
     * 413 takes its place after the answers to earlier pipelined requests.
     */
    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest request)) {
            ctx.close();
            return;
        }
        FullHttpRequest failed = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        failed.setDecoderResult(DecoderResult.failure(new TooLongHttpContentException(
                "the body exceeds " + maxContentLength() + " bytes")));
        ctx.fireChannelRead(failed);
    }
}
