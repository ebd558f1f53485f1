package org.optline.server.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;
import org.optline.server.guard.GuardMetrics;
import org.optline.server.guard.Listener;

/**
 * Right after the TLS handler: counts failed handshakes and closes such connections quietly. A
 * plaintext client, one without a trusted certificate, or one that speaks an old protocol is an
 * expected failure of a client, not worth a log line (a client can cause them at will).
 */
final class TlsEvents extends ChannelInboundHandlerAdapter {
    private final Listener listener;
    private final GuardMetrics metrics;

    TlsEvents(Listener listener, GuardMetrics metrics) {
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion && !completion.isSuccess()) {
            metrics.handshakeFailed(listener);
            ctx.close();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (isTlsFailure(cause)) {
            ctx.close();
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    static boolean isTlsFailure(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        return t instanceof NotSslRecordException || t instanceof SSLException;
    }
}
