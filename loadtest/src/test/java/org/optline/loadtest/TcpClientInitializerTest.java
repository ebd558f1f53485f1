package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.Authenticated;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ServerFrame;

class TcpClientInitializerTest {
    private final Tally tally = new Tally();

    @Test
    void framesAreVarintDelimitedProtobufBothWays() throws IOException {
        EmbeddedChannel channel = channel();

        ByteBuf hello = channel.readOutbound();
        try (ByteBufInputStream in = new ByteBufInputStream(hello, true)) {
            assertThat(ClientFrame.parseDelimitedFrom(in).getAuthenticate().getApiKey()).isEqualTo("olk_test");
        }

        byte[] answer = delimited(ServerFrame.newBuilder().setAuthenticated(
                Authenticated.newBuilder().setMaxBatchSize(1_000).setMaxInFlight(1)).build());
        // one byte at a time: the decoder must wait for the whole frame
        for (byte b : answer) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        OpenLoop loop = new OpenLoop(ArrivalSchedule.of(0, 1_000, 10), 0, new FakeTicker(0), new Latencies());
        loop.advance(0);
        channel.pipeline().get(TcpLane.class).begin(loop);
        channel.runPendingTasks();

        ByteBuf submit = channel.readOutbound();
        try (ByteBufInputStream in = new ByteBufInputStream(submit, true)) {
            assertThat(ClientFrame.parseDelimitedFrom(in).getSubmit().getMessagesCount()).isEqualTo(100);
        }
    }

    @Test
    void aFrameLongerThanTheLimitClosesTheConnection() {
        EmbeddedChannel channel = channel();
        channel.releaseOutbound();

        // the varint length 2 MiB, then nothing: the length alone is refused
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(tally.snapshot().problems()).containsKey("transport error: TooLongFrameException");
    }

    private EmbeddedChannel channel() {
        RunMessages messages = new RunMessages("run", new Recipients(10), MessageMix.balanceAlertsOnly(), 1_000);
        return new EmbeddedChannel(new TcpClientInitializer(() -> new TcpLane("olk_test", 4, 100, messages, tally)));
    }

    private static byte[] delimited(ServerFrame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame.writeDelimitedTo(out);
        return out.toByteArray();
    }
}
