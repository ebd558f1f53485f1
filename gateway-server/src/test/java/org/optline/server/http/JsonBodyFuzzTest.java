package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.optline.proto.v1.AckRequest;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.ConsentChange;
import org.optline.proto.v1.ConsentRequestBody;
import org.optline.proto.v1.InboundReply;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;
import org.optline.proto.v1.SubmitMessagesRequest;

/**
 * The HTTP JSON bodies: any text is read into its message or refused as 400 INVALID_BODY, never
 * another exception; a refusal's detail quotes none of the caller's digits or keys; and the shape
 * look that picks one message or a batch answers for a well-formed object exactly what a strict
 * parser finds; the hand-written reader of one message reads a body only as JsonFormat does, and its
 * printer of one result prints what JsonFormat prints. The saved inputs in JsonBodyFuzzTestInputs replay with every build.
 */
class JsonBodyFuzzTest {
    /** The bodies the API reads as JSON, chosen by the input's first byte. */
    private static final List<Supplier<Message.Builder>> BODIES = List.of(
            org.optline.proto.v1.Message::newBuilder, SubmitMessagesRequest::newBuilder, ConsentChange::newBuilder,
            ConsentRequestBody::newBuilder, InboundReply::newBuilder, AckRequest::newBuilder);

    @FuzzTest(maxDuration = "5m")
    void anyTextIsReadOrRefusedWithoutEchoingTheCallersDigitsOrKeys(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Message.Builder builder = BODIES.get((input[0] & 0xFF) % BODIES.size()).get();
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        try {
            Bodies.read(request(body), false, builder);
        } catch (HttpError refused) {
            assertThat(refused.reason).isEqualTo("INVALID_BODY");
            // Digits the server writes itself: where the JSON broke, how long a withheld value was,
            // the names of number types.
            String detail = refused.getMessage()
                    .replaceAll("at line \\d+, column \\d+", "")
                    .replaceAll("a value of \\d+ characters", "")
                    .replaceAll("u?int(32|64)", "");
            assertThat(detail).as("a digit of the caller's in the detail").doesNotContainPattern("\\d");
            assertThat(detail.toLowerCase()).as("a key in the detail").doesNotContain("olk_").doesNotContain("olp_");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void theShapeLookAgreesWithAStrictParserOnEveryWellFormedObject(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        boolean found = JsonShape.hasTopLevelField(body, "messages");
        Set<String> keys = strictTopLevelKeys(text);
        if (keys != null) {
            assertThat(found).as("top-level keys %s", keys).isEqualTo(keys.contains("messages"));
        }
    }

    @FuzzTest(maxDuration = "5m")
    void theHandReaderReadsOnlyWhatJsonFormatReadsTheSame(byte[] input) throws HttpError {
        org.optline.proto.v1.Message fast = MessageJson.read(Unpooled.wrappedBuffer(input));
        if (fast != null) {
            org.optline.proto.v1.Message generic = Bodies.read(request(input), false,
                    org.optline.proto.v1.Message.newBuilder()).build();
            assertThat(fast).isEqualTo(generic);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void theHandWrittenResultIsWhatJsonFormatPrints(FuzzedDataProvider data) throws Exception {
        MessageResult result = MessageResult.newBuilder()
                .setClientMessageId(data.consumeString(40))
                .setReasonValue(data.consumeInt(0, Reason.values().length + 2))
                .setMessageId(data.consumeString(30))
                .setCategoryValue(data.consumeInt(0, Category.values().length + 2))
                .setReclassified(data.consumeBoolean())
                .setDuplicate(data.consumeBoolean())
                .setRetryAfterMs(data.consumeLong())
                .setDetail(data.consumeRemainingAsString())
                .build();
        assertThat(MessageJson.write(result).toString(StandardCharsets.UTF_8))
                .isEqualTo(JsonFormat.printer().omittingInsignificantWhitespace().print(result));
    }

    /** The keys of a well-formed JSON object, by a strict parser; null for anything else. */
    private static Set<String> strictTopLevelKeys(String text) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setLenient(false);
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                return null;
            }
            Set<String> keys = new HashSet<>();
            reader.beginObject();
            while (reader.hasNext()) {
                keys.add(reader.nextName());
                reader.skipValue();
            }
            reader.endObject();
            return reader.peek() == JsonToken.END_DOCUMENT ? keys : null;
        } catch (IOException | RuntimeException notWellFormed) {
            return null;
        }
    }

    private static FullHttpRequest request(byte[] body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages",
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return request;
    }
}
