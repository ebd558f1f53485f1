package org.optline.loadtest.baseline;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline of a baseline HTTP connection, in this order:
 * <pre>
 * {@value #CODEC} → {@value #KEEP_ALIVE} → {@value #AGGREGATOR} → {@value #ACKNOWLEDGER}
 * </pre>
 * The gateway's codec and limits without its idle timeout: the codec bounds the request line
 * and headers, the aggregator bounds the body, and keep-alive and {@code Connection: close}
 * are honoured by Netty's keep-alive handler.
 */
final class HttpBaselineInitializer extends ChannelInitializer<SocketChannel> {
    static final String CODEC = "http-codec";
    static final String KEEP_ALIVE = "http-keep-alive";
    static final String AGGREGATOR = "http-aggregator";
    static final String ACKNOWLEDGER = "acknowledger";

    private final AtomicInteger connections;

    /** @param connections numbers the connections, for their message ids */
    HttpBaselineInitializer(AtomicInteger connections) {
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(CODEC, new HttpServerCodec(Limits.MAX_INITIAL_LINE_BYTES, Limits.MAX_HEADER_BYTES,
                Limits.MAX_BODY_BYTES));
        pipeline.addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler());
        pipeline.addLast(AGGREGATOR, new BodyAggregator(Limits.MAX_BODY_BYTES));
        pipeline.addLast(ACKNOWLEDGER, new HttpAcknowledger(new Acceptances(connections.incrementAndGet())));
    }
}
