package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.ErrorBody;

class HttpReplyTest {

    @Test
    void readsTheReasonOfAJsonErrorBody() {
        byte[] body = "{\"reason\":\"RATE_LIMITED\",\"retryAfterMs\":\"250\",\"future\":1}"
                .getBytes(StandardCharsets.UTF_8);
        HttpReply reply = new HttpReply(429, "application/json", body, true);

        assertThat(reply.errorReason()).contains("RATE_LIMITED");
    }

    @Test
    void readsTheReasonOfAProtobufErrorBody() {
        byte[] body = ErrorBody.newBuilder().setReason("OVERLOADED").build().toByteArray();

        assertThat(new HttpReply(503, HttpReply.PROTOBUF, body, true).errorReason()).contains("OVERLOADED");
    }

    @Test
    void hasNoReasonForOtherBodies() {
        byte[] text = "oops".getBytes(StandardCharsets.UTF_8);

        assertThat(new HttpReply(500, "text/plain", text, true).errorReason()).isEmpty();
        assertThat(new HttpReply(500, "application/json", text, true).errorReason()).isEmpty();
        assertThat(new HttpReply(500, "application/json", "{}".getBytes(StandardCharsets.UTF_8), true).errorReason())
                .isEmpty();
    }
}
