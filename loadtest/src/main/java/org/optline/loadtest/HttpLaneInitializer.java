package org.optline.loadtest;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.util.function.Supplier;

/**
 * The pipeline of a run's HTTP sending connection, in order: {@value #DECODER} → {@value #LANE}.
 * There is no encoder and no aggregator: the lane writes each request's bytes itself and reads
 * the response's parts as they come. The decoder does not validate header names and values,
 * which guards a server against what clients send; a load generator only reads the status,
 * the Content-Type and whether the connection stays open. (Seeding and the inbox reader use
 * the general {@link HttpClientInitializer}.)
 */
final class HttpLaneInitializer extends ChannelInitializer<Channel> {
    static final String DECODER = "httpDecoder";
    static final String LANE = "lane";

    private final Supplier<HttpLane> lanes;

    /** {@code lanes} makes the stateful handler, one per connection. */
    HttpLaneInitializer(Supplier<HttpLane> lanes) {
        this.lanes = lanes;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false))
                .setTrailersFactory(DefaultHttpHeadersFactory.trailersFactory().withValidation(false));
        pipeline.addLast(DECODER, new HttpResponseDecoder(config));
        pipeline.addLast(LANE, lanes.get());
    }
}
