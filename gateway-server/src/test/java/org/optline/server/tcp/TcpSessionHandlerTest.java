package org.optline.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optline.core.admission.AdmissionListener;
import org.optline.core.admission.AdmissionPipeline;
import org.optline.core.admission.AdmissionPolicy;
import org.optline.core.business.BusinessDirectory;
import org.optline.core.classify.Classifier;
import org.optline.core.consent.CachedConsentStore;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.limit.AntiSpamLimits;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.storage.memory.InMemoryStorageEngine;
import org.optline.core.submission.SubmissionService;
import org.optline.core.testing.MutableClock;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.Ping;
import org.optline.proto.v1.SubmitRequest;
import org.optline.server.Lifecycle;
import org.optline.server.config.GatewayConfig;
import org.optline.server.testing.TestBusinesses;

/**
 * The TCP session handler alone, on an {@link EmbeddedChannel}: authentication first, the
 * {@code tcp.max-in-flight} bound, reading paused and resumed, and writability. Admission runs
 * on an executor the test drains by hand, so a submission stays in flight until the test says.
 */
class TcpSessionHandlerTest {
    private static final int MAX_IN_FLIGHT = 4;

    private final ArrayDeque<Runnable> admissionTasks = new ArrayDeque<>();
    private final Lifecycle lifecycle = new Lifecycle();
    private final EmbeddedChannel channel;

    TcpSessionHandlerTest() {
        MutableClock clock = new MutableClock();
        InMemoryStorageEngine engine = new InMemoryStorageEngine();
        AdmissionPipeline admission = new AdmissionPipeline(AdmissionPolicy.DEFAULTS, DeliveryPolicy.DEFAULTS, clock,
                new CachedConsentStore(engine.consents(), 100), engine.deliveryLog(),
                new IdempotencyWindow(clock, IdempotencyWindow.DEFAULT_WINDOW),
                new AntiSpamLimits(AntiSpamPolicy.DEFAULTS, clock), new Classifier(), admissionTasks::add,
                AdmissionListener.NONE);
        lifecycle.markReady();
        channel = new EmbeddedChannel(new TcpSessionHandler(new SubmissionService(admission, lifecycle::isReady),
                new BusinessDirectory(TestBusinesses.all(), TestBusinesses.platform()), lifecycle, MAX_IN_FLIGHT));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static ClientFrame authenticate(String key) {
        return ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(key)).build();
    }

    private static ClientFrame submit(long requestId) {
        return ClientFrame.newBuilder().setSubmit(SubmitRequest.newBuilder().setRequestId(requestId)
                .addMessages(Message.newBuilder().setClientMessageId("m-" + requestId)
                        .setRecipient("+14155550123").setDeclaredCategory(Category.TRANSACTIONAL)
                        .setText("Your balance is 10 EUR"))).build();
    }

    /** Runs the admission work the handler handed over, then the answers it scheduled on the event loop. */
    private void admitOne() {
        admissionTasks.poll().run();
        channel.runPendingTasks();
    }

    private List<ServerFrame> frames() {
        List<ServerFrame> frames = new ArrayList<>();
        ServerFrame frame;
        while ((frame = channel.readOutbound()) != null) {
            frames.add(frame);
        }
        return frames;
    }

    private void authenticated() {
        channel.writeInbound(authenticate(TestBusinesses.BANK_KEY));
        assertThat(frames()).singleElement().satisfies(frame -> assertThat(frame.hasAuthenticated()).isTrue());
    }

    @Test
    void aSubmissionBeforeAuthenticationClosesTheConnection() {
        channel.writeInbound(submit(7));

        assertThat(frames()).singleElement().satisfies(frame -> {
            assertThat(frame.getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(frame.getError().getRequestId()).isEqualTo(7);
        });
        assertThat(channel.isOpen()).isFalse();
        assertThat(admissionTasks).isEmpty();
    }

    @Test
    void aWrongKeyIsRefusedAndNothingAfterItInTheSameReadIsLookedAt() {
        channel.writeInbound(authenticate("wrong"), submit(1));

        assertThat(frames()).singleElement().satisfies(frame ->
                assertThat(frame.getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        assertThat(admissionTasks).isEmpty();
    }

    @Test
    void readingPausesAtTheInFlightBoundAndResumesAtHalf() {
        authenticated();
        for (int i = 1; i < MAX_IN_FLIGHT; i++) {
            channel.writeInbound(submit(i));
        }
        assertThat(channel.config().isAutoRead()).isTrue();

        channel.writeInbound(submit(MAX_IN_FLIGHT));
        assertThat(channel.config().isAutoRead()).as("paused at the bound").isFalse();
        assertThat(lifecycle.inFlight()).isEqualTo(MAX_IN_FLIGHT);

        admitOne();
        assertThat(channel.config().isAutoRead()).as("three still in flight").isFalse();
        admitOne();
        assertThat(channel.config().isAutoRead()).as("half the bound: reading again").isTrue();
        assertThat(frames()).hasSize(2).allSatisfy(frame -> assertThat(frame.hasResult()).isTrue());
    }

    @Test
    void readingPausesWhileTheSocketTakesNoMoreOutputAndResumesWhenItDrains() {
        authenticated();
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void answersCarryTheirRequestIdsInTheOrderAdmissionCompletesThem() {
        authenticated();
        channel.writeInbound(submit(10), submit(11));
        Runnable first = admissionTasks.poll();
        admitOne();
        first.run();
        channel.runPendingTasks();

        assertThat(frames()).extracting(frame -> frame.getResult().getRequestId()).containsExactly(11L, 10L);
        assertThat(lifecycle.inFlight()).isZero();
    }

    @Test
    void aSubmissionWhileTheNodeDrainsIsRefusedAsShuttingDown() {
        authenticated();
        lifecycle.beginDrain();

        channel.writeInbound(submit(3));
        channel.runPendingTasks();

        assertThat(frames()).singleElement().satisfies(frame -> {
            assertThat(frame.getError().getCode()).isEqualTo(ErrorCode.SHUTTING_DOWN);
            assertThat(frame.getError().getRequestId()).isEqualTo(3);
        });
        assertThat(admissionTasks).isEmpty();
    }

    @Test
    void aConnectionThatHasNotAuthenticatedWithinTheTimeoutIsToldAndClosedEvenIfItPings() {
        channel.writeInbound(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(1)).build());
        assertThat(frames()).singleElement().satisfies(frame -> assertThat(frame.hasPong()).isTrue());

        channel.advanceTimeBy(GatewayConfig.DEFAULT_TCP_AUTHENTICATION_TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(frames()).singleElement().satisfies(frame -> {
            assertThat(frame.getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(frame.getError().getDetail()).contains("authenticate within");
        });
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anAuthenticatedConnectionOutlivesTheAuthenticationTimeout() {
        authenticated();

        channel.advanceTimeBy(GatewayConfig.DEFAULT_TCP_AUTHENTICATION_TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(frames()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }
}
