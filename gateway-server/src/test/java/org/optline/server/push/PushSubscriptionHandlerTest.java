package org.optline.server.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.optline.core.delivery.DeliveryListener;
import org.optline.core.delivery.DeliveryPolicy;
import org.optline.core.inbox.InboxService;
import org.optline.core.message.Category;
import org.optline.core.queue.MessageIds;
import org.optline.core.queue.QueuedMessage;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.core.testing.Appends;
import org.optline.core.testing.MutableClock;

/**
 * The push handler alone on an {@link EmbeddedChannel}, over an in-memory inbox whose store work
 * runs on the calling thread: frames out as messages arrive, commands in, pings, idleness, and
 * what it gives back when the connection ends.
 */
class PushSubscriptionHandlerTest {
    private static final PhoneNumber ALICE = PhoneNumber.parse("+447911100001").orElseThrow();

    private final MutableClock clock = new MutableClock();
    private final InMemoryDeliveryQueues queues = new InMemoryDeliveryQueues();
    private final InboxService inbox = new InboxService(queues, queues.arrivals(), new StoreExecutor(Runnable::run),
            clock, DeliveryPolicy.DEFAULTS, DeliveryListener.NONE);
    private final MessageIds ids = new MessageIds(clock);
    private static final Duration MAX_UNWRITABLE = Duration.ofSeconds(60);

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new PushSubscriptionHandler(inbox, ALICE, 2, Duration.ofSeconds(30), MAX_UNWRITABLE));

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
    }

    private String append(String text) {
        QueuedMessage m = new QueuedMessage(ids.next(), "bank", text, ALICE, Category.TRANSACTIONAL, false, text,
                clock.instant(), 600, "");
        queues.append(Appends.accepted(m)).join();
        return m.messageId();
    }

    private List<String> written() {
        channel.runPendingTasks();
        List<String> frames = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            if (out instanceof TextWebSocketFrame text) {
                frames.add(text.text());
            }
            ReferenceCountUtil.release(out);
        }
        return frames;
    }

    @Test
    void subscribesThenPushesWhatArrivesWithinItsWindow() {
        assertThat(written()).singleElement().asString().contains("\"subscribed\"").contains("\"window\":2");
        String first = append("one");
        String second = append("two");
        append("three");

        List<String> frames = written();
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).contains(first);
        assertThat(frames.get(1)).contains(second);
        assertThat(inbox.subscriptions()).isEqualTo(1);
    }

    @Test
    void anAckIsAnsweredAndMakesRoomForTheNextMessage() {
        written();
        String first = append("one");
        append("two");
        String third = append("three");
        written();

        channel.writeInbound(new TextWebSocketFrame("{\"commandId\":\"9\",\"ack\":{\"messageIds\":[\"" + first + "\"]}}"));

        List<String> frames = written();
        assertThat(frames).anySatisfy(f -> assertThat(f).contains(third));
        assertThat(frames).anySatisfy(f -> assertThat(f).contains("\"reported\"").contains("\"commandId\":\"9\"")
                .contains("\"changed\":1"));
    }

    @Test
    void aMalformedOrBinaryCommandIsAnsweredWithAnErrorAndTheSubscriptionStays() {
        written();
        channel.writeInbound(new TextWebSocketFrame("{\"nonsense\":1}"));
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));

        assertThat(written()).hasSize(2).allSatisfy(f -> assertThat(f).contains("\"error\""));
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void aPingIsAnsweredAndIdlenessPingsThenCloses() {
        written();
        channel.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {7})));
        Object pong = channel.readOutbound();
        assertThat(pong).isInstanceOf(PongWebSocketFrame.class);
        ReferenceCountUtil.release(pong);

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        Object ping = channel.readOutbound();
        assertThat(ping).isInstanceOf(PingWebSocketFrame.class);
        ReferenceCountUtil.release(ping);

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void whenTheConnectionEndsWhatWasNotAcknowledgedGoesBack() {
        written();
        String first = append("one");
        written();

        channel.close();

        assertThat(inbox.subscriptions()).isZero();
        assertThat(queues.lease(ALICE, 1, 10, clock.instant(), Duration.ofSeconds(30)).join().messages())
                .extracting(QueuedMessage::messageId).containsExactly(first);
    }

    private void writable(boolean writable) {
        // As a full or drained socket buffer would: fires channelWritabilityChanged.
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        channel.runPendingTasks();
    }

    @Test
    void nothingIsLeasedWhileTheClientDoesNotReadAndWhatArrivedIsPushedWhenItDoes() {
        written();
        writable(false);
        String first = append("one");
        String second = append("two");

        assertThat(written()).as("nothing pushed to a client that does not read").isEmpty();
        assertThat(queues.peek(ALICE, 10).join()).hasSize(2);
        assertThat(queues.lease(ALICE, 99, 10, clock.instant(), Duration.ofSeconds(1)).join().messages())
                .as("not leased either: another reader could have them").hasSize(2);
        clock.advance(Duration.ofSeconds(1));

        writable(true);
        List<String> frames = written();
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).contains(first);
        assertThat(frames.get(1)).contains(second);
    }

    @Test
    void aConnectionThatStaysUnwritableIsClosedAndGivesItsMessagesBack() {
        written();
        String first = append("one");
        assertThat(written()).singleElement().asString().contains(first);
        writable(false);

        channel.advanceTimeBy(MAX_UNWRITABLE.toSeconds() - 1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isActive()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isActive()).isFalse();
        assertThat(queues.lease(ALICE, 99, 10, clock.instant(), Duration.ofSeconds(30)).join().messages())
                .extracting(QueuedMessage::messageId).containsExactly(first);
    }

    @Test
    void aConnectionThatDrainsInTimeStaysOpen() {
        written();
        writable(false);
        channel.advanceTimeBy(MAX_UNWRITABLE.toSeconds() - 1, TimeUnit.SECONDS);
        writable(true);
        channel.advanceTimeBy(MAX_UNWRITABLE.toSeconds(), TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isActive()).isTrue();
    }
}
