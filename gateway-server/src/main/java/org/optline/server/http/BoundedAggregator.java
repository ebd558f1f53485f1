package org.optline.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpContentException;

/**
 * Aggregates a request body up to {@code http.max-body-size}; a larger one is passed on as a
 * failed request, which the API handler answers 413 with its JSON error body before closing the
 * connection (the rest of the oversized body is not worth reading). The requests of streamed
 * routes (an audience upload) are not aggregated: they pass through, chunk by chunk, to the
 * {@link AudienceUploadHandler} that spools them to disk.
 */
final class BoundedAggregator extends HttpObjectAggregator {
    private final Routes routes;
    /** True from a streamed request's head to its last chunk. */
    private boolean passingThrough;

    BoundedAggregator(int maxBodySize) {
        this(maxBodySize, null);
    }

    /** @param routes the route table, whose streamed routes pass through; null for none */
    BoundedAggregator(int maxBodySize, Routes routes) {
        super(maxBodySize);
        this.routes = routes;
    }

    @Override
    public boolean acceptInboundMessage(Object msg) throws Exception {
        if (routes != null) {
            if (msg instanceof HttpRequest request && !(msg instanceof FullHttpMessage)) {
                passingThrough = request.decoderResult().isSuccess()
                        && routes.isStreamed(request.method(), new QueryStringDecoder(request.uri()).rawPath());
                if (passingThrough) {
                    return false;
                }
            } else if (passingThrough && msg instanceof HttpContent) {
                if (msg instanceof LastHttpContent) {
                    passingThrough = false;
                }
                return false;
            }
        }
        return super.acceptInboundMessage(msg);
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
