package org.optline.server.guard;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import org.optline.core.business.Origin;

/** Where a connection comes from, as the credential checks see it: listener, address, client certificate. */
public final class Origins {
    private Origins() {}

    /**
     * The connection's origin. The client certificate is the one the TLS handshake verified; it
     * is read once the handshake is done, which it is before the first request or frame arrives.
     */
    public static Origin of(Channel channel, Listener listener) {
        return new Origin(listener.tag(),
                channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null,
                clientCertificate(channel));
    }

    private static Origin.ClientCertificate clientCertificate(Channel channel) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null || !tls.handshakeFuture().isSuccess()) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return null;
            }
            return new Origin.ClientCertificate(sha256(leaf.getEncoded()),
                    leaf.getSubjectX500Principal().getName(X500Principal.RFC2253));
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        } catch (CertificateEncodingException e) {
            // A certificate the handshake accepted always encodes; if not, it cannot match a binding.
            return null;
        }
    }

    /** The lower-case hex SHA-256 of a certificate's DER encoding: its fingerprint. */
    public static String sha256(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
