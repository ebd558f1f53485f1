package org.optline.loadtest.baseline;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32FrameDecoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import java.util.concurrent.atomic.AtomicInteger;
import org.optline.proto.v1.ClientFrame;

/**
 * The pipeline of a baseline binary-protocol connection, in this order:
 * <pre>
 * {@value #FRAME_DECODER} → {@value #PROTOBUF_DECODER} → {@value #FRAME_ENCODER}
 *   → {@value #PROTOBUF_ENCODER} → {@value #ACKNOWLEDGER}
 * </pre>
 * The gateway's framing and decoding, without its idle timeout and flush consolidation: answers
 * are written during the read that brought their requests, so one flush per read suffices.
 */
final class TcpBaselineInitializer extends ChannelInitializer<SocketChannel> {
    static final String FRAME_DECODER = "frame-decoder";
    static final String PROTOBUF_DECODER = "protobuf-decoder";
    static final String FRAME_ENCODER = "frame-encoder";
    static final String PROTOBUF_ENCODER = "protobuf-encoder";
    static final String ACKNOWLEDGER = "acknowledger";

    private static final ProtobufDecoder CLIENT_FRAMES = new ProtobufDecoder(ClientFrame.getDefaultInstance());
    private static final ProtobufEncoder ENCODER = new ProtobufEncoder();
    private static final ProtobufVarint32LengthFieldPrepender PREPENDER = new ProtobufVarint32LengthFieldPrepender();

    private final AtomicInteger connections;

    /** @param connections numbers the connections, for their message ids */
    TcpBaselineInitializer(AtomicInteger connections) {
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // Netty's decoder refuses a length over the limit before buffering any of the body.
        pipeline.addLast(FRAME_DECODER, new ProtobufVarint32FrameDecoder(Limits.MAX_FRAME_BYTES));
        pipeline.addLast(PROTOBUF_DECODER, CLIENT_FRAMES);
        pipeline.addLast(FRAME_ENCODER, PREPENDER);
        pipeline.addLast(PROTOBUF_ENCODER, ENCODER);
        pipeline.addLast(ACKNOWLEDGER, new TcpAcknowledger(new Acceptances(connections.incrementAndGet())));
    }
}
