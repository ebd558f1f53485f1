package org.optline.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpContentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.optline.server.flow.ReadGate;
import org.optline.server.guard.Listener;
import org.optline.server.guard.Origins;
import org.optline.server.wire.AudienceFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the body of a streamed route (an audience upload of a million rows, far beyond
 * {@code http.max-body-size}) straight to a file, chunk by chunk, so the heap holds a chunk or two
 * whatever the size. Each chunk is written on the upload thread, never on the event loop; while a
 * write is under way the connection is not read (the disk sets the pace). When the last chunk is
 * on disk the request goes on to the API handler as a {@link SpooledRequest} that names the file,
 * so it is authenticated, routed and answered in turn like any other request.
 *
 * <p>The key is checked before anything is kept: an upload with a wrong key, to a node that is
 * draining, or whose Content-Type is not an audience format is read and dropped, and the API
 * handler answers it (401, 503, 415). A body larger than {@code campaigns.max-upload-size} is
 * answered 413 and the connection closed, as for any oversized body. Stateful: one per connection.
 */
final class AudienceUploadHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AudienceUploadHandler.class);

    private final HttpApi api;
    private final Path spoolDirectory;
    private final long maxBytes;
    private final Executor disk;
    private Upload upload;

    /** One upload being received. */
    private static final class Upload {
        final HttpRequest head;
        final boolean keep;
        final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
        Path file;
        FileChannel out;
        /** The upload's own key: the spool file holds the numbers encrypted. */
        final SpoolCipher cipher = SpoolCipher.random();
        long bytes;
        boolean writing;
        boolean ended;
        /** A failed request was passed on already: the rest of the body is dropped. */
        boolean answered;
        IOException failure;

        Upload(HttpRequest head, boolean keep) {
            this.head = head;
            this.keep = keep;
        }
    }

    /**
     * @param disk where chunks are written: a thread that may block on the disk
     * @param spoolDirectory where bodies are kept until their endpoint has read them
     */
    AudienceUploadHandler(HttpApi api, Path spoolDirectory, long maxBytes, Executor disk) {
        this.api = api;
        this.spoolDirectory = spoolDirectory;
        this.maxBytes = maxBytes;
        this.disk = disk;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && !(msg instanceof FullHttpMessage) && upload == null
                && request.decoderResult().isSuccess()
                && api.routes().isStreamed(request.method(), new QueryStringDecoder(request.uri()).rawPath())) {
            begin(ctx, request);
            return;
        }
        if (upload != null && msg instanceof HttpContent content) {
            receive(ctx, content);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest request) {
        boolean keep = api.isReady() && api.business(request, Origins.of(ctx.channel(), Listener.HTTP)).isPresent()
                && AudienceFiles.format(request.headers().get(HttpHeaderNames.CONTENT_TYPE)) != null;
        upload = new Upload(request, keep);
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > maxBytes) {
            tooLarge(ctx);
            return;
        }
        if (HttpUtil.is100ContinueExpected(request) && keep) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    private void receive(ChannelHandlerContext ctx, HttpContent content) {
        Upload current = upload;
        try {
            if (content.decoderResult().isFailure()) {
                fail(ctx, content.decoderResult().cause());
                return;
            }
            boolean last = content instanceof LastHttpContent;
            if (!current.answered && current.keep) {
                ByteBuf data = content.content();
                current.bytes += data.readableBytes();
                if (current.bytes > maxBytes) {
                    tooLarge(ctx);
                } else if (data.isReadable()) {
                    current.queued.add(data.retain());
                }
            }
            if (last) {
                current.ended = true;
                upload = null;
            }
            if (!current.answered) {
                writeNext(ctx, current);
            }
        } finally {
            content.release();
        }
    }

    /** Writes the next queued chunk on the disk thread; when none is left and the body ended, passes the request on. */
    private void writeNext(ChannelHandlerContext ctx, Upload current) {
        if (current.writing || current.answered) {
            return;
        }
        ByteBuf chunk = current.queued.poll();
        if (chunk == null) {
            if (current.ended) {
                finish(ctx, current);
            }
            return;
        }
        current.writing = true;
        ReadGate gate = ctx.channel().attr(HttpApiHandler.GATE).get();
        // The disk sets the pace: nothing more is read until this chunk is written.
        gate.beginBackOff(ctx.channel());
        try {
            disk.execute(() -> {
                try {
                    write(current, chunk);
                } catch (IOException e) {
                    current.failure = e;
                } finally {
                    ctx.executor().execute(() -> {
                        chunk.release();
                        current.writing = false;
                        gate.endBackOff(ctx.channel());
                        if (current.failure != null && !current.answered) {
                            // The body cannot be kept: the request is answered now, the rest dropped.
                            current.answered = true;
                            abandon(current);
                            pass(ctx, current, null);
                        } else if (current.answered) {
                            // Given up while this chunk was being written (too large, the connection gone).
                            abandon(current);
                        } else {
                            writeNext(ctx, current);
                        }
                    });
                }
            });
        } catch (RejectedExecutionException e) {
            chunk.release();
            current.writing = false;
            gate.endBackOff(ctx.channel());
            current.failure = new IOException("the upload thread is stopped");
            current.answered = true;
            abandon(current);
            pass(ctx, current, null);
        }
    }

    /** On the disk thread. */
    private void write(Upload current, ByteBuf chunk) throws IOException {
        if (current.out == null) {
            Files.createDirectories(spoolDirectory);
            current.file = Files.createTempFile(spoolDirectory, "audience-", ".upload");
            current.out = FileChannel.open(current.file, StandardOpenOption.WRITE);
        }
        ByteBuffer sealed = current.cipher.encrypt(chunk.nioBuffer());
        chunk.skipBytes(chunk.readableBytes());
        while (sealed.hasRemaining()) {
            current.out.write(sealed);
        }
    }

    private void finish(ChannelHandlerContext ctx, Upload current) {
        current.answered = true;
        if (current.out == null) {
            pass(ctx, current, current.keep ? new SpooledRequest.Spool(null, 0, null) : null);
            return;
        }
        try {
            disk.execute(() -> {
                try {
                    current.out.close();
                } catch (IOException e) {
                    current.failure = e;
                }
                ctx.executor().execute(() -> {
                    if (current.failure != null) {
                        abandon(current);
                        pass(ctx, current, null);
                    } else {
                        pass(ctx, current, new SpooledRequest.Spool(current.file, current.bytes, current.cipher));
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            abandon(current);
            pass(ctx, current, null);
        }
    }

    /** Hands the request on; deletes the file if no endpoint took it over. */
    private void pass(ChannelHandlerContext ctx, Upload current, SpooledRequest.Spool spool) {
        if (current.failure != null) {
            log.warn("an audience upload could not be spooled to {}: {}", spoolDirectory, current.failure.getMessage());
        }
        ctx.fireChannelRead(new SpooledRequest(current.head, spool));
        if (spool != null && spool.file() != null && !spool.isClaimed()) {
            delete(spool.file());
        }
    }

    /** The body is over the limit: answered 413 in turn, the connection then closed; the rest is dropped. */
    private void tooLarge(ChannelHandlerContext ctx) {
        fail(ctx, new TooLongHttpContentException("the upload exceeds " + maxBytes + " bytes"));
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        Upload current = upload;
        if (current == null || current.answered) {
            return;
        }
        current.answered = true;
        abandon(current);
        HttpRequest head = current.head;
        FullHttpRequest failed = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
        failed.setDecoderResult(DecoderResult.failure(cause));
        ctx.fireChannelRead(failed);
    }

    /** Drops what was queued and kept of an upload that will not be read. */
    private void abandon(Upload current) {
        ByteBuf chunk;
        while ((chunk = current.queued.poll()) != null) {
            chunk.release();
        }
        if (current.writing) {
            // The chunk being written is released when its write returns; its file after that.
            return;
        }
        FileChannel out = current.out;
        Path file = current.file;
        current.out = null;
        current.file = null;
        if (out != null || file != null) {
            try {
                disk.execute(() -> {
                    try {
                        if (out != null) {
                            out.close();
                        }
                        if (file != null) {
                            Files.deleteIfExists(file);
                        }
                    } catch (IOException e) {
                        log.warn("cannot remove an abandoned upload's spool file: {}", e.getMessage());
                    }
                });
            } catch (RejectedExecutionException e) {
                // Stopping: the spool directory is emptied at the next start.
            }
        }
    }

    private void delete(Path file) {
        try {
            disk.execute(() -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.warn("cannot remove an upload's spool file: {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // Stopping: the spool directory is emptied at the next start.
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (upload != null) {
            upload.answered = true;
            abandon(upload);
            upload = null;
        }
        super.channelInactive(ctx);
    }
}
