package org.optline.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.optline.core.admission.AdmissionListener;
import org.optline.core.admission.AdmissionPipeline;
import org.optline.core.admission.AdmissionPolicy;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.classify.Classifier;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.consent.CachedConsentStore;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.storage.memory.InMemoryStorageEngine;
import org.optline.core.submission.SubmissionService;
import org.optline.core.testing.MutableClock;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ServerFrame;
import org.optline.server.Lifecycle;
import org.optline.server.guard.AuthenticationFailures;
import org.optline.server.guard.ConnectionLimits;
import org.optline.server.guard.GuardMetrics;
import org.optline.server.guard.Guards;
import org.optline.server.guard.Listener;
import org.optline.server.guard.UnauthenticatedBytes;
import org.optline.server.guard.UnexpectedErrors;
import org.optline.server.testing.TestBusinesses;

/**
 * Whatever bytes a client sends, the TCP pipeline (framing, protobuf decoding of ClientFrames,
 * the session with real in-memory admission) answers only with well-formed ServerFrames, hits no
 * unexpected error, never lets an exception escape the pipeline, and never quotes a run of the
 * client's digits back in an error. The saved inputs in ClientFrameFuzzTestInputs replay with
 * every build.
 */
class ClientFrameFuzzTest {
    private static final Pattern DIGIT_RUN = Pattern.compile("\\d{5,}");

    /** The first byte's bit 0: authenticate first, so that the rest reaches the authenticated paths. */
    @FuzzTest(maxDuration = "5m")
    void anyBytesGetWellFormedAnswersAndNoUnexpectedError(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        List<String> unexpected = new ArrayList<>();
        EmbeddedChannel channel = pipeline(unexpected);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        if ((input[0] & 1) != 0) {
            ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(TestBusinesses.BANK_KEY))
                    .build().writeDelimitedTo(stream);
        }
        stream.write(input, 1, input.length - 1);

        channel.writeInbound(Unpooled.wrappedBuffer(stream.toByteArray()));
        channel.runPendingTasks();

        assertThat(unexpected).as("unexpected errors").isEmpty();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            try (InputStream in = new ByteBufInputStream(out, true)) {
                ServerFrame frame = ServerFrame.parseDelimitedFrom(in);
                assertThat(frame).isNotNull();
                if (frame.hasError()) {
                    // The server's own numbers may appear (limits, an announced length); the client's digits not.
                    String sent = new String(input, java.nio.charset.StandardCharsets.ISO_8859_1);
                    java.util.regex.Matcher run = DIGIT_RUN.matcher(frame.getError().getDetail());
                    while (run.find()) {
                        assertThat(sent).as("the client's digits quoted in an error").doesNotContain(run.group());
                    }
                }
            }
        }
        channel.finishAndReleaseAll();
    }

    private static EmbeddedChannel pipeline(List<String> unexpected) {
        MutableClock clock = new MutableClock();
        InMemoryStorageEngine engine = new InMemoryStorageEngine();
        AdmissionPipeline admission = new AdmissionPipeline(AdmissionPolicy.DEFAULTS, DeliveryPolicy.DEFAULTS, clock,
                new CachedConsentStore(engine.consents(), 100), engine.deliveryLog(),
                new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW),
                new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock), new Classifier(), Runnable::run,
                AdmissionListener.NONE);
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.markReady();
        GuardMetrics metrics = GuardMetrics.unregistered();
        Guards guards = new Guards(new UnauthenticatedBytes(1 << 20),
                Map.of(Listener.TCP, new ConnectionLimits(Listener.TCP, 10, 10, metrics),
                        Listener.HTTP, new ConnectionLimits(Listener.HTTP, 10, 10, metrics)),
                new AuthenticationFailures(10, Duration.ofMinutes(1), 100, clock, metrics), metrics,
                new UnexpectedErrors(unexpected::add));
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline()
                .addLast(TcpServerInitializer.FRAME_DECODER, new BoundedVarint32FrameDecoder(64 * 1024, 1024,
                        guards.tcpUnauthenticated()))
                .addLast(TcpServerInitializer.PROTOBUF_DECODER, new ProtobufDecoder(ClientFrame.getDefaultInstance()))
                .addLast(TcpServerInitializer.FRAME_ENCODER, new ProtobufVarint32LengthFieldPrepender())
                .addLast(TcpServerInitializer.PROTOBUF_ENCODER, new ProtobufEncoder())
                .addLast(TcpServerInitializer.SESSION, new TcpSessionHandler(
                        new SubmissionService(admission, lifecycle::isReady),
                        new BusinessDirectory(TestBusinesses.all(), TestBusinesses.platform()), lifecycle, 16,
                        Duration.ofSeconds(10), guards));
        return channel;
    }
}
