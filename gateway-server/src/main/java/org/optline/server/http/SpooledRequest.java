package org.optline.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A request to a streamed route, passed to the API handler once its body is on disk: it carries
 * no content, only where the body was spooled. The endpoint that takes the file over claims it;
 * an unclaimed file is deleted by the {@link AudienceUploadHandler} that made it.
 */
final class SpooledRequest extends DefaultFullHttpRequest {
    /** The spooled body: its file and size. */
    static final class Spool {
        private final Path file;
        private final long bytes;
        private final SpoolCipher cipher;
        private boolean claimed;

        Spool(Path file, long bytes, SpoolCipher cipher) {
            this.file = file;
            this.bytes = bytes;
            this.cipher = cipher;
        }

        /** Turns the file's encrypted bytes back into the upload as it was sent. */
        java.io.InputStream decrypting(java.io.InputStream encrypted) {
            return cipher.decrypting(encrypted);
        }

        /** Takes the file over: the caller deletes it when done. */
        Path claim() {
            claimed = true;
            return file;
        }

        boolean isClaimed() {
            return claimed;
        }

        long bytes() {
            return bytes;
        }

        Path file() {
            return file;
        }
    }

    private final Spool spool;

    /** @param spool the body on disk, or null when it was not kept (an unauthenticated upload) */
    SpooledRequest(HttpRequest head, Spool spool) {
        super(head.protocolVersion(), head.method(), head.uri(), Unpooled.EMPTY_BUFFER, head.headers().copy(),
                EmptyHttpHeaders.INSTANCE);
        // The body was read here: the API handler must not think it still has to come.
        headers().remove(HttpHeaderNames.EXPECT).remove(HttpHeaderNames.TRANSFER_ENCODING)
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        this.spool = spool;
    }

    Optional<Spool> spool() {
        return Optional.ofNullable(spool);
    }
}
