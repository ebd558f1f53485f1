package org.optline.loadtest;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.protobuf.ProtobufVarint32FrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.function.Supplier;

/**
 * The pipeline of a binary-protocol client connection, in order:
 * {@value #FRAME_DECODER} → {@value #KEEP_ALIVE} → {@value #LANE}. The lane reads the frames'
 * protobuf itself and writes whole frames, length prefix included: a protobuf decoder and
 * encoder would build and serialise every message and result of the run.
 */
final class TcpClientInitializer extends ChannelInitializer<Channel> {
    static final String FRAME_DECODER = "frameDecoder";
    static final String KEEP_ALIVE = "keepAlive";
    static final String LANE = "lane";
    /**
     * A lane that has sent nothing for this long sends a Ping: at a low rate spread over many
     * connections, a gap longer than the gateway's idle timeout (60 s by default) would close it.
     */
    static final int KEEP_ALIVE_SECONDS = 20;

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
        pipeline.addLast(KEEP_ALIVE, new IdleStateHandler(0, KEEP_ALIVE_SECONDS, 0));
        pipeline.addLast(LANE, lanes.get());
    }
}
