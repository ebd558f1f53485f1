package org.optline.server.tcp;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ErrorCode;
import org.optline.server.ServerContext;
import org.optline.server.guard.ConnectionLimits;
import org.optline.server.guard.GuardMetrics;
import org.optline.server.guard.Listener;
import org.optline.server.guard.RefusedConnection;
import org.optline.server.guard.WriteProgress;

/**
 * The pipeline of a binary-protocol connection, in this order:
 * <pre>
 * [tls → tls-events] → {@value #FLUSH} → {@value #FRAME_DECODER} → {@value #PROTOBUF_DECODER} → {@value #FRAME_ENCODER}
 *   → {@value #PROTOBUF_ENCODER} → {@value #IDLE} → {@value #WRITE_TIMEOUT} → {@value #SESSION}
 * </pre>
 * A connection over a cap of {@link ConnectionLimits} gets only the encoders and a
 * {@link RefusedConnection} that sends {@code TOO_MANY_CONNECTIONS} and closes. Answers complete
 * on admission threads one by one; the flush consolidation turns their
 * flushes into one system call per batch of ready answers.
 */
public final class TcpServerInitializer extends ChannelInitializer<SocketChannel> {
    public static final String FLUSH = "flush-consolidation";
    public static final String FRAME_DECODER = "frame-decoder";
    public static final String PROTOBUF_DECODER = "protobuf-decoder";
    public static final String FRAME_ENCODER = "frame-encoder";
    public static final String PROTOBUF_ENCODER = "protobuf-encoder";
    public static final String IDLE = "idle";
    public static final String WRITE_TIMEOUT = "write-timeout";
    public static final String SESSION = "session";

    /** Flush after this many writes even if more are coming, to bound latency under load. */
    private static final int EXPLICIT_FLUSHES_BEFORE_FLUSH = 64;

    private static final ProtobufDecoder CLIENT_FRAMES = new ProtobufDecoder(ClientFrame.getDefaultInstance());
    private static final ProtobufEncoder ENCODER = new ProtobufEncoder();
    private static final ProtobufVarint32LengthFieldPrepender PREPENDER = new ProtobufVarint32LengthFieldPrepender();

    private final ServerContext server;
    private final ChannelGroup connections;

    public TcpServerInitializer(ServerContext server, ChannelGroup connections) {
        this.server = server;
        this.connections = connections;
    }

    /** The last frame every TCP client gets when the node shuts down. */
    public static org.optline.proto.v1.ServerFrame shutdownNotice() {
        return Frames.shutdownNotice();
    }

    /** When a connection refused at a cap may try again: by then others may have closed. */
    private static final long RETRY_AFTER_REFUSAL_MS = 1_000;

    @Override
    protected void initChannel(SocketChannel channel) {
        server.tls().addTo(channel.pipeline(), channel, Listener.TCP);
        ConnectionLimits limits = server.guards().connections(Listener.TCP);
        Optional<GuardMetrics.Refusal> refusal = limits.admit(channel);
        if (refusal.isPresent()) {
            channel.pipeline()
                    .addLast(FRAME_ENCODER, PREPENDER)
                    .addLast(PROTOBUF_ENCODER, ENCODER)
                    .addLast(SESSION, new RefusedConnection(Frames.retryableError(ErrorCode.TOO_MANY_CONNECTIONS,
                            limits.explain(refusal.get()), RETRY_AFTER_REFUSAL_MS)));
            return;
        }
        connections.add(channel);
        var config = server.config();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(FLUSH, new FlushConsolidationHandler(EXPLICIT_FLUSHES_BEFORE_FLUSH, true));
        pipeline.addLast(FRAME_DECODER, new BoundedVarint32FrameDecoder(config.maxFrameSize(),
                config.tcpMaxUnauthenticatedFrameSize(), server.guards().tcpUnauthenticated()));
        pipeline.addLast(PROTOBUF_DECODER, CLIENT_FRAMES);
        pipeline.addLast(FRAME_ENCODER, PREPENDER);
        pipeline.addLast(PROTOBUF_ENCODER, ENCODER);
        pipeline.addLast(IDLE, new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast(WRITE_TIMEOUT, new WriteProgress(config.writeTimeout(), Listener.TCP, server.guards().metrics()));
        pipeline.addLast(SESSION, new TcpSessionHandler(server.submissions(), server.directory(), server.lifecycle(),
                config.tcpMaxInFlight(), config.tcpAuthenticationTimeout(), server.guards()));
    }
}
