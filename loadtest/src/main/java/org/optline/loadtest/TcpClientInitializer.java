package org.optline.loadtest;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32FrameDecoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import java.util.function.Supplier;
import org.optline.proto.v1.ServerFrame;

/**
 * The pipeline of a binary-protocol client connection, in order:
 * {@value #FRAME_DECODER} → {@value #PROTOBUF_DECODER} → {@value #FRAME_ENCODER} →
 * {@value #PROTOBUF_ENCODER} → {@value #LANE}.
 */
final class TcpClientInitializer extends ChannelInitializer<Channel> {
    static final String FRAME_DECODER = "frameDecoder";
    static final String PROTOBUF_DECODER = "protobufDecoder";
    static final String FRAME_ENCODER = "frameEncoder";
    static final String PROTOBUF_ENCODER = "protobufEncoder";
    static final String LANE = "lane";

    /** The protocol's frame limit; a longer frame means a broken stream, not a big answer. */
    static final int MAX_FRAME_BYTES = 1 << 20;

    private final Supplier<TcpLane> lanes;

    /** {@code lanes} makes the stateful handler, one per connection. */
    TcpClientInitializer(Supplier<TcpLane> lanes) {
        this.lanes = lanes;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(FRAME_DECODER, new ProtobufVarint32FrameDecoder(MAX_FRAME_BYTES));
        pipeline.addLast(PROTOBUF_DECODER, new ProtobufDecoder(ServerFrame.getDefaultInstance()));
        pipeline.addLast(FRAME_ENCODER, new ProtobufVarint32LengthFieldPrepender());
        pipeline.addLast(PROTOBUF_ENCODER, new ProtobufEncoder());
        pipeline.addLast(LANE, lanes.get());
    }
}
