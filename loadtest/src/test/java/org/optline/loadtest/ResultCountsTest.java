package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.Authenticated;
import org.optline.proto.v1.Error;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Pong;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.ServerFrame;
import org.optline.proto.v1.SubmitMessagesResponse;
import org.optline.proto.v1.SubmitResponse;

/** Answers counted from their bytes, against what protobuf's parser reads in them. */
class ResultCountsTest {
    private final ResultCounts counts = new ResultCounts();

    @Test
    void aResultFrameIsCountedByReasonWithItsRequestIdAndDuplicates() {
        ServerFrame frame = result(7, accepted(), MessageResult.newBuilder().setReason(Reason.ACCEPTED)
                .setDuplicate(true).setMessageId("m-2").build(), refused(Reason.NOT_OPTED_IN));

        assertThat(counts.readServerFrame(buf(frame.toByteArray()), 3)).isEqualTo(ResultCounts.Frame.RESULT);

        assertThat(counts.requestId()).isEqualTo(7);
        assertThat(counts.results()).isEqualTo(3);
        assertThat(counts.count(Reason.ACCEPTED)).isEqualTo(2);
        assertThat(counts.count(Reason.NOT_OPTED_IN)).isEqualTo(1);
        assertThat(counts.duplicates()).isEqualTo(1);
    }

    @Test
    void onlyTheFirstResultsUpToTheLimitAreCountedButAllAreSeen() {
        ServerFrame frame = result(1, accepted(), accepted(), refused(Reason.INVALID_RECIPIENT));

        counts.readServerFrame(buf(frame.toByteArray()), 2);

        assertThat(counts.results()).isEqualTo(3);
        assertThat(counts.count(Reason.ACCEPTED)).isEqualTo(2);
        assertThat(counts.count(Reason.INVALID_RECIPIENT)).isZero();
    }

    @Test
    void countsAreForOneAnswerAtATime() {
        counts.readServerFrame(buf(result(1, accepted(), accepted()).toByteArray()), 10);
        counts.readServerFrame(buf(result(2, refused(Reason.BLOCKED)).toByteArray()), 10);

        assertThat(counts.requestId()).isEqualTo(2);
        assertThat(counts.count(Reason.ACCEPTED)).isZero();
        assertThat(counts.count(Reason.BLOCKED)).isEqualTo(1);
    }

    @Test
    void aReasonThisSchemaDoesNotKnowIsUnrecognizedAsProtobufReadsIt() throws Exception {
        byte[] bytes = result(1, MessageResult.newBuilder().setReasonValue(99).build(),
                MessageResult.newBuilder().setReasonValue(-3).build()).toByteArray();

        counts.readServerFrame(buf(bytes), 2);

        assertThat(counts.count(Reason.UNRECOGNIZED)).isEqualTo(2);
        assertThat(ServerFrame.parseFrom(bytes).getResult().getResults(0).getReason()).isEqualTo(Reason.UNRECOGNIZED);
    }

    @Test
    void unknownFieldsAreSkippedAsProtobufSkipsThem() {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(40, UnknownFieldSet.Field.newBuilder().addVarint(5).addFixed32(6).addFixed64(7)
                        .addLengthDelimited(ByteString.copyFromUtf8("later")).build())
                .build();
        MessageResult withUnknown = MessageResult.newBuilder().setReason(Reason.FREQUENCY_CAPPED)
                .setRetryAfterMs(250).setDetail("capped").setUnknownFields(unknown).build();
        ServerFrame frame = ServerFrame.newBuilder().setResult(SubmitResponse.newBuilder().setRequestId(3)
                .addResults(withUnknown).setUnknownFields(unknown)).build();

        assertThat(counts.readServerFrame(buf(frame.toByteArray()), 1)).isEqualTo(ResultCounts.Frame.RESULT);
        assertThat(counts.count(Reason.FREQUENCY_CAPPED)).isEqualTo(1);
        assertThat(counts.requestId()).isEqualTo(3);
    }

    @Test
    void anUnknownGroupIsSkippedAsProtobufSkipsIt() throws Exception {
        // SubmitResponse{group 5 {varint 1 = 1, group 6 {}}, request_id = 4, results = [ACCEPTED]}
        byte[] response = {0x2B, 0x08, 0x01, 0x33, 0x34, 0x2C, 0x08, 0x04, 0x12, 0x02, 0x10, 0x01};
        byte[] frame = new byte[response.length + 2];
        frame[0] = 0x12;
        frame[1] = (byte) response.length;
        System.arraycopy(response, 0, frame, 2, response.length);

        assertThat(counts.readServerFrame(buf(frame), 1)).isEqualTo(ResultCounts.Frame.RESULT);
        assertThat(counts.requestId()).isEqualTo(ServerFrame.parseFrom(frame).getResult().getRequestId()).isEqualTo(4);
        assertThat(counts.count(Reason.ACCEPTED)).isEqualTo(1);
    }

    @Test
    void otherFramesAreLeftToTheParser() {
        for (ServerFrame frame : new ServerFrame[] {
            ServerFrame.newBuilder().setAuthenticated(Authenticated.newBuilder().setMaxInFlight(4)).build(),
            ServerFrame.newBuilder().setError(Error.newBuilder().setCode(ErrorCode.INVALID_REQUEST)).build(),
            ServerFrame.newBuilder().setPong(Pong.newBuilder().setNonce(1)).build(),
            ServerFrame.getDefaultInstance()}) {
            assertThat(counts.readServerFrame(buf(frame.toByteArray()), 1)).as(frame.getKindCase().name())
                    .isEqualTo(ResultCounts.Frame.OTHER);
        }
    }

    @Test
    void aResultBodyOfHttpIsCountedToo() {
        byte[] body = SubmitMessagesResponse.newBuilder().addResults(accepted())
                .addResults(refused(Reason.OVERLOADED)).build().toByteArray();

        assertThat(counts.readSubmitMessagesResponse(buf(body), 2)).isTrue();
        assertThat(counts.results()).isEqualTo(2);
        assertThat(counts.count(Reason.ACCEPTED)).isEqualTo(1);
        assertThat(counts.count(Reason.OVERLOADED)).isEqualTo(1);
    }

    @Test
    void brokenBytesAreMalformed() {
        byte[] good = result(1, accepted(), refused(Reason.BLOCKED)).toByteArray();
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        byte[] unterminatedVarint = {0x12, 0x03, 0x08, (byte) 0xFF, (byte) 0xFF};
        byte[] fieldZero = {0x12, 0x02, 0x00, 0x01};
        byte[] unendedGroup = {0x12, 0x02, 0x0B, 0x08};
        byte[] lengthPastTheEnd = {0x12, 0x03, 0x12, 0x10, 0x10};

        for (byte[] bytes : new byte[][] {truncated, unterminatedVarint, fieldZero, unendedGroup, lengthPastTheEnd}) {
            assertThat(counts.readServerFrame(buf(bytes), 2)).as(Arrays.toString(bytes))
                    .isEqualTo(ResultCounts.Frame.MALFORMED);
            assertThatProtobufRefuses(bytes);
        }
        assertThat(counts.readSubmitMessagesResponse(buf(new byte[] {0x0A, 0x05, 0x10}), 1)).isFalse();
    }

    @Test
    void readingLeavesTheBufferAsItWas() {
        ByteBuf frame = buf(result(1, accepted()).toByteArray());
        int readable = frame.readableBytes();

        counts.readServerFrame(frame, 1);

        assertThat(frame.readableBytes()).isEqualTo(readable);
    }

    /**
     * Valid frames with bytes changed at random: whenever protobuf reads a result, the counts
     * agree with it, and what protobuf refuses is never counted, except for strings that are not
     * UTF-8, which are skipped unread.
     */
    @Test
    void damagedFramesAreCountedAsProtobufReadsThemOrRefused() {
        Random random = new Random(14);
        byte[] good = result(9, accepted(), refused(Reason.OPTED_OUT), MessageResult.newBuilder()
                .setReason(Reason.ACCEPTED).setDuplicate(true).setClientMessageId("c-3").setMessageId("m-3").build())
                .toByteArray();
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = good.clone();
            for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            ResultCounts.Frame read = counts.readServerFrame(buf(bytes), 3);
            ServerFrame parsed;
            try {
                parsed = ServerFrame.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                if (read == ResultCounts.Frame.RESULT) {
                    assertThat(e.getMessage()).as(Arrays.toString(bytes)).contains("UTF-8");
                }
                continue;
            }
            if (read == ResultCounts.Frame.RESULT) {
                assertThat(parsed.hasResult()).isTrue();
                SubmitResponse response = parsed.getResult();
                assertThat(counts.requestId()).isEqualTo(response.getRequestId());
                assertThat(counts.results()).isEqualTo(response.getResultsCount());
                for (Reason reason : Reason.values()) {
                    long expected = response.getResultsList().stream().limit(3)
                            .filter(r -> r.getReason() == reason).count();
                    assertThat(counts.count(reason)).as("%s in %s", reason, Arrays.toString(bytes)).isEqualTo(expected);
                }
                assertThat(counts.duplicates()).isEqualTo(
                        response.getResultsList().stream().limit(3).filter(MessageResult::getDuplicate).count());
            } else {
                assertThat(read).as(Arrays.toString(bytes)).isEqualTo(ResultCounts.Frame.OTHER);
            }
        }
    }

    private static void assertThatProtobufRefuses(byte[] bytes) {
        try {
            ServerFrame.parseFrom(bytes);
            throw new AssertionError("protobuf read " + Arrays.toString(bytes));
        } catch (InvalidProtocolBufferException expected) {
            // as the counts say
        }
    }

    private static ServerFrame result(long requestId, MessageResult... results) {
        return ServerFrame.newBuilder().setResult(SubmitResponse.newBuilder().setRequestId(requestId)
                .addAllResults(Arrays.asList(results))).build();
    }

    private static MessageResult accepted() {
        return MessageResult.newBuilder().setReason(Reason.ACCEPTED).setClientMessageId("c").setMessageId("m").build();
    }

    private static MessageResult refused(Reason reason) {
        return MessageResult.newBuilder().setReason(reason).setDetail("why").build();
    }

    private static ByteBuf buf(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }
}
