package org.optline.loadtest;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * The pipeline of an HTTP client connection, in order:
 * {@value #CODEC} → {@value #AGGREGATOR} → {@value #REPLIES}.
 */
final class HttpClientInitializer extends ChannelInitializer<Channel> {
    static final String CODEC = "httpCodec";
    static final String AGGREGATOR = "aggregator";
    static final String REPLIES = "replies";

    /** Far above the answer to a full batch (about 100 bytes a message); more means a broken server. */
    static final int MAX_RESPONSE_BYTES = 4 << 20;

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(CODEC, new HttpClientCodec());
        pipeline.addLast(AGGREGATOR, new HttpObjectAggregator(MAX_RESPONSE_BYTES));
        pipeline.addLast(REPLIES, new ReplyHandler());
    }
}
