package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The look at a body's shape that lets it be parsed once: does its top-level object have "messages"? */
class JsonShapeTest {
    private static boolean batch(String json) {
        ByteBuf body = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        try {
            return JsonShape.hasTopLevelField(body, "messages");
        } finally {
            body.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"messages\":[]}",
            "  {\n \"messages\" : [{\"text\":\"hi\"}]}",
            "{\"other\":{\"messages\":1},\"messages\":[]}",
            "{\"a\":\"x\\\"y\",\"b\":[1,{\"c\":\"]}\"}],\"n\":-1.5e3,\"t\":true,\"messages\":[]}",
            "{\"m\\u0065ssages\":[]}"})
    void aTopLevelMessagesFieldMakesABatch(String json) {
        assertThat(batch(json)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"clientMessageId\":\"m-1\",\"text\":\"the \\\"messages\\\": field\"}",
            "{\"template\":{\"name\":\"messages\",\"parameters\":[\"messages\"]}}",
            "{\"nested\":{\"messages\":[]}}",
            "[{\"messages\":[]}]",
            "",
            "{",
            "{\"text\":\"unterminated",
            "not json at all"})
    void anythingElseIsASingleMessageOrLeftToTheParserToRefuse(String json) {
        assertThat(batch(json)).isFalse();
    }
}
