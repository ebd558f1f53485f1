package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;

class MessageJsonTest {
    @Test
    void readsThePlainShapeInEitherSpellingOfTheFieldNames() throws Exception {
        String body = " {\"clientMessageId\":\"m-1\", \"recipient\" : \"+447900000001\",\n"
                + "\"declared_category\":\"AUTHENTICATION\",\"text\":\"Código 123 — £5\",\"ttl_seconds\":600,"
                + "\"campaignId\":\"c\"}\r\n";

        Message read = MessageJson.read(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(Message.newBuilder().setClientMessageId("m-1").setRecipient("+447900000001")
                .setDeclaredCategory(Category.AUTHENTICATION).setText("Código 123 — £5").setTtlSeconds(600)
                .setCampaignId("c").build());
        assertThat(read).isEqualTo(jsonFormat(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"text\":\"two\\nlines, a \\\"quote\\\", a \\\\ and a \\/\"}",
        "{\"text\":\"\\u00a3 5 \\ud83d\\ude00 \\u00E9t\\u00e9\"}", "{\"text\":\"\\b\\f\\r\\t\"}",
        "{\"declaredCategory\":\"MARKET\\u0049NG\"}", "{\"text\":\"a lone \\ud83d\"}",
    })
    void readsJsonsEscapesAsJsonFormatDoes(String body) throws Exception {
        Message read = MessageJson.read(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));

        assertThat(read).isNotNull().isEqualTo(jsonFormat(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"text\":\"\\x41\"}", "{\"text\":\"\\u12\"}", "{\"text\":\"\\u12g4\"}", "{\"text\":\"\\'\"}",
        "{\"text\":\"ends with \\\"}", "{\"te\\u0078t\":\"an escaped name\"}",
        "{\"text\":\"a\",\"text\":\"b\"}", "{\"text\":\"a\",\"template\":{}}",
        "{\"declaredCategory\":\"marketing\"}", "{\"declaredCategory\":3}", "{\"ttlSeconds\":\"60\"}",
        "{\"ttlSeconds\":060}", "{\"ttlSeconds\":1e3}", "{\"ttlSeconds\":4294967296}", "{\"text\":null}",
        "{\"text\":\"a\"} {}", "{\"text\":\"a\",}", "[]", "{\"messages\":[]}", "{\"unknown\":\"x\"}", "",
    })
    void leavesEverythingElseToJsonFormat(String body) {
        assertThat(MessageJson.read(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void writesWhatJsonFormatPrints() throws Exception {
        MessageResult accepted = MessageResult.newBuilder().setClientMessageId("m-1").setReason(Reason.ACCEPTED)
                .setMessageId("01J9ZK").setCategory(Category.AUTHENTICATION).setReclassified(true)
                .setDetail("reclassified: a one-time code <in> an \"alert\" & more\u2028").build();
        MessageResult overloaded = MessageResult.newBuilder().setClientMessageId("m-2").setReason(Reason.OVERLOADED)
                .setRetryAfterMs(50).setDetail("the delivery queues are behind; nothing was queued").build();
        MessageResult duplicate = MessageResult.newBuilder().setClientMessageId("m\t\u0001").setDuplicate(true)
                .setReasonValue(99).setRetryAfterMs(-1).build();

        MessageResult empty = MessageResult.getDefaultInstance();
        for (MessageResult result : new MessageResult[] {accepted, overloaded, duplicate, empty}) {
            assertThat(MessageJson.write(result).toString(StandardCharsets.UTF_8))
                    .isEqualTo(JsonFormat.printer().omittingInsignificantWhitespace().print(result));
        }
    }

    private static Message jsonFormat(String body) throws Exception {
        Message.Builder builder = Message.newBuilder();
        JsonFormat.parser().merge(body, builder);
        return builder.build();
    }
}
