package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.BusinessDirectory;
import org.optline.server.flow.ReadGate;
import org.optline.server.testing.TestBusinesses;

/**
 * The upload handler through an {@link EmbeddedChannel}, with a disk thread the test runs by hand:
 * the connection is not read while a chunk is being written, chunks reach the file in order, the
 * request goes on once the body is on disk, and an upload with a wrong key or too large a length
 * keeps nothing.
 */
class AudienceUploadHandlerTest {
    private static final String PATH = "/v1/campaigns/c1/audience";
    private static final int MAX = 1024;

    @TempDir
    Path spool;

    /** The disk thread, run by the test one task at a time. */
    private final ArrayDeque<Runnable> disk = new ArrayDeque<>();
    private final Executor diskThread = disk::add;
    private final List<FullHttpRequest> passed = new ArrayList<>();
    private final List<String> spooledContents = new ArrayList<>();
    private final List<byte[]> spooledOnDisk = new ArrayList<>();

    private EmbeddedChannel channel() {
        Routes routes = Routes.builder()
                .streamed(HttpMethod.POST, "/v1/campaigns/{campaignId}/audience", Access.BUSINESS,
                        call -> CompletableFuture.completedFuture(null))
                .build();
        HttpApi api = new HttpApi(routes, new BusinessDirectory(TestBusinesses.all(), TestBusinesses.platform()),
                () -> true);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.attr(HttpApiHandler.GATE).set(new ReadGate(32));
        channel.pipeline().addLast(new AudienceUploadHandler(api, spool, MAX, diskThread),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                        FullHttpRequest request = (FullHttpRequest) msg;
                        // What an endpoint would read, read before the handler deletes an unclaimed file.
                        if (request instanceof SpooledRequest spooled && spooled.spool().isPresent()
                                && spooled.spool().get().file() != null) {
                            SpooledRequest.Spool body = spooled.spool().get();
                            spooledOnDisk.add(Files.readAllBytes(body.file()));
                            try (var in = body.decrypting(Files.newInputStream(body.file()))) {
                                spooledContents.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        }
                        passed.add(request);
                        ReferenceCountUtil.release(msg);
                    }
                });
        return channel;
    }

    private static HttpRequest upload(String key, long length) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, PATH);
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/csv")
                .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + key)
                .set(HttpHeaderNames.CONTENT_LENGTH, length);
        return request;
    }

    private static DefaultHttpContent chunk(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private void runDisk(EmbeddedChannel channel) {
        while (!disk.isEmpty()) {
            disk.poll().run();
            channel.runPendingTasks();
        }
    }

    @Test
    void readingPausesWhileAChunkIsWrittenAndTheRequestGoesOnOnceTheBodyIsOnDisk() throws Exception {
        EmbeddedChannel channel = channel();
        channel.writeInbound(upload(TestBusinesses.BANK_KEY, 24));
        channel.writeInbound(chunk("+447911000001\n"));

        assertThat(channel.config().isAutoRead()).as("reading while a chunk is on its way to disk").isFalse();
        channel.writeInbound(chunk("+4479110"));
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("00002\n", StandardCharsets.UTF_8)));
        assertThat(passed).as("the request goes on only when its body is on disk").isEmpty();

        runDisk(channel);

        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(passed).singleElement().isInstanceOf(SpooledRequest.class);
        assertThat(spooledContents).containsExactly("+447911000001\n+447911000002\n");
        assertThat(new String(spooledOnDisk.get(0), StandardCharsets.ISO_8859_1)).as("the file holds no number")
                .doesNotContain("447911000001").doesNotContain("447911000002").hasSize(28);
        assertThat(passed.get(0).headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isZero();
        try (var files = Files.list(spool)) {
            assertThat(files).as("an unclaimed spool file is deleted").isEmpty();
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void anUploadWithAWrongKeyKeepsNothing() throws Exception {
        EmbeddedChannel channel = channel();
        channel.writeInbound(upload("olk_wrong", 14));
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("+447911000001\n", StandardCharsets.UTF_8)));
        runDisk(channel);

        assertThat(passed).singleElement().satisfies(request ->
                assertThat(((SpooledRequest) request).spool()).isEmpty());
        try (var files = Files.list(spool)) {
            assertThat(files).isEmpty();
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void aLengthOverTheLimitIsAnsweredAtOnceAndTheBodyDropped() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(upload(TestBusinesses.BANK_KEY, MAX + 1));

        assertThat(passed).singleElement().satisfies(request -> {
            assertThat(request.decoderResult().isFailure()).isTrue();
            assertThat(request.decoderResult().cause()).isInstanceOf(TooLongHttpContentException.class);
        });
        channel.writeInbound(chunk("x".repeat(100)));
        channel.writeInbound(new DefaultLastHttpContent());
        assertThat(disk).as("nothing is written").isEmpty();
        assertThat(passed).hasSize(1);
        channel.finishAndReleaseAll();
    }
}
