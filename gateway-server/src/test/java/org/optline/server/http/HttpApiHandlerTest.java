package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optline.core.business.BusinessDirectory;
import org.optline.proto.v1.ErrorBody;
import org.optline.server.Lifecycle;
import org.optline.server.testing.TestBusinesses;

/**
 * The HTTP handler alone, on an {@link EmbeddedChannel}: answers in request order, the
 * {@code http.max-in-flight} bound, reading paused and resumed, writability, and where answers
 * are encoded. The API behind it is a route table of test endpoints whose futures the test holds.
 */
class HttpApiHandlerTest {
    private static final int MAX_IN_FLIGHT = 4;

    private final List<CompletableFuture<Reply>> held = new ArrayList<>();
    private final AtomicBoolean abandoned = new AtomicBoolean();
    private final AtomicReference<Thread> encodedOn = new AtomicReference<>();
    private final Lifecycle lifecycle = new Lifecycle();
    private final HttpApi api = new HttpApi(Routes.builder()
            .route(HttpMethod.GET, "/held", Access.NONE, call -> hold())
            .route(HttpMethod.GET, "/long-poll", Access.NONE, call -> {
                call.onAbandoned(() -> abandoned.set(true));
                return hold();
            })
            .route(HttpMethod.GET, "/now", Access.NONE, call -> CompletableFuture.completedFuture(
                    Reply.ok("now", text -> ErrorBody.newBuilder().setReason(text).build())))
            .build(),
            new BusinessDirectory(TestBusinesses.all(), TestBusinesses.platform()), () -> true);
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpApiHandler(api, lifecycle, MAX_IN_FLIGHT));

    private CompletableFuture<Reply> hold() {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        held.add(reply);
        return reply;
    }

    private Reply replyNamed(String name) {
        return Reply.ok(name, text -> {
            encodedOn.set(Thread.currentThread());
            return ErrorBody.newBuilder().setReason(text).build();
        });
    }

    private static FullHttpRequest get(String path) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    }

    private List<String> answers() {
        List<String> reasons = new ArrayList<>();
        FullHttpResponse response;
        while ((response = channel.readOutbound()) != null) {
            reasons.add(response.content().toString(StandardCharsets.UTF_8));
            response.release();
        }
        return reasons;
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void answersLeaveInRequestOrderEvenWhenALaterOneIsReadyFirst() {
        channel.writeInbound(get("/held"));
        channel.writeInbound(get("/now"));
        assertThat(answers()).as("the second waits for the first").isEmpty();

        held.get(0).complete(replyNamed("first"));
        channel.runPendingTasks();

        assertThat(answers()).hasSize(2).first().asString().contains("first");
        assertThat(lifecycle.inFlight()).isZero();
    }

    @Test
    void aCallWhoseClientWentAwayIsAbandonedAndAnAnswerThatCannotBeWrittenIsUndone() {
        channel.writeInbound(get("/long-poll"));
        assertThat(abandoned).isFalse();

        channel.close();
        assertThat(abandoned).as("told when the client went away").isTrue();

        AtomicBoolean undone = new AtomicBoolean();
        held.get(0).complete(replyNamed("too late").whenUndelivered(() -> undone.set(true)));
        channel.runPendingTasks();

        assertThat(undone).as("an answer that could not be written is undone").isTrue();
        assertThat(lifecycle.inFlight()).isZero();
    }

    @Test
    void readingPausesAtTheInFlightBoundAndResumesAtHalf() {
        for (int i = 0; i < MAX_IN_FLIGHT - 1; i++) {
            channel.writeInbound(get("/held"));
        }
        assertThat(channel.config().isAutoRead()).isTrue();

        channel.writeInbound(get("/held"));
        assertThat(channel.config().isAutoRead()).as("paused at the bound").isFalse();

        held.get(0).complete(replyNamed("a"));
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).as("three still unanswered").isFalse();

        held.get(1).complete(replyNamed("b"));
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).as("half the bound: reading again").isTrue();
        assertThat(answers()).hasSize(2);
    }

    @Test
    void readingPausesWhileTheSocketTakesNoMoreOutputAndResumesWhenItDrains() {
        channel.writeInbound(get("/now"));
        assertThat(answers()).hasSize(1);

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.runPendingTasks();
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).as("a client that does not read is not read").isFalse();

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void anAnswerIsEncodedOnTheEventLoopNotOnTheThreadThatCompletedIt() throws Exception {
        channel.writeInbound(get("/held"));
        Thread storeWriter = new Thread(() -> held.get(0).complete(replyNamed("from-the-writer")),
                "test-store-writer");
        storeWriter.start();
        storeWriter.join();
        assertThat(encodedOn.get()).as("nothing encoded on the completing thread").isNull();

        channel.runPendingTasks();

        assertThat(encodedOn.get()).isSameAs(Thread.currentThread());
        assertThat(answers()).hasSize(1).first().asString().contains("from-the-writer");
    }

    @Test
    void aFailedFutureIsAnsweredAsTheErrorItCarries() {
        channel.writeInbound(get("/held"));
        held.get(0).completeExceptionally(new HttpError(HttpResponseStatus.CONFLICT, "ALREADY_DECIDED", "decided"));
        channel.runPendingTasks();

        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status()).isEqualTo(HttpResponseStatus.CONFLICT);
            assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("ALREADY_DECIDED");
        } finally {
            response.release();
        }
    }

    @Test
    void anUnknownPathIsA404AndAKnownPathWithAnotherMethodA405ThatSaysWhichMethodsItTakes() {
        channel.writeInbound(get("/nowhere"));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/now"));

        FullHttpResponse notFound = channel.readOutbound();
        FullHttpResponse wrongMethod = channel.readOutbound();
        try {
            assertThat(notFound.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
            assertThat(wrongMethod.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
            assertThat(wrongMethod.headers().get("Allow")).isEqualTo("GET");
        } finally {
            notFound.release();
            wrongMethod.release();
        }
    }
}
