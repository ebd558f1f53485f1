package org.optline.server.push;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.optline.core.inbox.InboxService;
import org.optline.core.inbox.InboxSubscription;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.proto.v1.PushCommand;
import org.optline.server.flow.Disconnects;
import org.optline.server.wire.Malformed;
import org.optline.server.wire.PushWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push subscription over a WebSocket: a thin adapter between its frames and an
 * {@link InboxSubscription}. Messages are sent as JSON text frames as the subscription leases
 * them (at most its window unacknowledged, so a client that never reads holds a bounded amount);
 * {@code ack} and {@code read} commands are passed on and answered. When the connection ends, the
 * subscription gives back what was not acknowledged. Pings keep it alive through proxies; a
 * client silent for two ping intervals is closed.
 *
 * <p>While the socket cannot take more (the client does not read), the subscription leases
 * nothing; it looks again when the socket drains. A connection that stays unwritable for
 * {@code maxUnwritable} is closed, so a client that answers pings but never reads cannot hold
 * its messages' leases for ever.
 */
public final class PushSubscriptionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(PushSubscriptionHandler.class);

    private final InboxService inbox;
    private final PhoneNumber recipient;
    private final int window;
    private final Duration lease;
    private final Duration maxUnwritable;
    private ChannelHandlerContext ctx;
    private InboxSubscription subscription;
    /** Closes the connection when it stayed unwritable too long; null while writable. */
    private ScheduledFuture<?> unwritableDeadline;

    public PushSubscriptionHandler(InboxService inbox, PhoneNumber recipient, int window, Duration lease,
                                   Duration maxUnwritable) {
        this.inbox = inbox;
        this.recipient = recipient;
        this.window = window;
        this.lease = lease;
        this.maxUnwritable = maxUnwritable;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.writeAndFlush(new TextWebSocketFrame(PushWire.subscribed(window, lease)));
        subscription = inbox.subscribe(recipient, window, new InboxSubscription.Sink() {
            @Override
            public void push(List<QueuedMessage> messages) {
                pushed(messages);
            }

            @Override
            public boolean ready() {
                return ctx.channel().isWritable();
            }
        });
        if (!ctx.channel().isActive()) {
            subscription.close();
        }
    }

    /** On a store thread: hops to this connection's event loop to encode and write. */
    private void pushed(List<QueuedMessage> messages) {
        ctx.executor().execute(() -> {
            for (QueuedMessage message : messages) {
                ctx.write(new TextWebSocketFrame(PushWire.message(message,
                        subscription.leasedUntil(message.messageId()))));
            }
            ctx.flush();
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            if (unwritableDeadline != null) {
                unwritableDeadline.cancel(false);
                unwritableDeadline = null;
            }
            subscription.wake();
        } else if (unwritableDeadline == null) {
            unwritableDeadline = ctx.executor().schedule(() -> {
                if (!ctx.channel().isWritable()) {
                    ctx.close();
                }
            }, maxUnwritable.toMillis(), TimeUnit.MILLISECONDS);
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(frame.retainedDuplicate()).addListener(done -> ctx.close());
        } else if (frame instanceof TextWebSocketFrame text) {
            command(text.text());
        } else if (!(frame instanceof PongWebSocketFrame)) {
            ctx.writeAndFlush(new TextWebSocketFrame(PushWire.error("INVALID_BODY",
                    "send commands as JSON text frames")));
        }
    }

    private void command(String json) {
        PushCommand command;
        try {
            command = PushWire.command(json);
        } catch (Malformed malformed) {
            ctx.writeAndFlush(new TextWebSocketFrame(PushWire.error(malformed.reason(), malformed.getMessage())));
            return;
        }
        List<String> ids = command.getKindCase() == PushCommand.KindCase.ACK
                ? command.getAck().getMessageIdsList() : command.getRead().getMessageIdsList();
        if (ids.size() > InboxService.MAX_PAGE) {
            ctx.writeAndFlush(new TextWebSocketFrame(PushWire.error("BATCH_TOO_LARGE",
                    "report at most " + InboxService.MAX_PAGE + " messages at once")));
            return;
        }
        CompletableFuture<Integer> done = command.getKindCase() == PushCommand.KindCase.ACK
                ? subscription.acknowledge(ids) : subscription.markRead(ids);
        String commandId = command.getCommandId();
        done.whenComplete((changed, failure) -> ctx.executor().execute(() -> ctx.writeAndFlush(new TextWebSocketFrame(
                failure == null ? PushWire.reported(commandId, changed)
                        : PushWire.error("OVERLOADED", "the store is busy; send the command again")))));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                ctx.close();
            } else {
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (unwritableDeadline != null) {
            unwritableDeadline.cancel(false);
        }
        subscription.close();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A phone that loses its network is ordinary; any other failure, I/O or not, is worth a look.
        if (!Disconnects.isPeerGone(cause)) {
            log.warn("closing a push subscription after an unexpected error", cause);
        }
        ctx.close();
    }
}
