package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Path templates match raw segments: an encoded slash or plus stays inside its parameter. */
class PathTemplateTest {
    private final PathTemplate ack = new PathTemplate("/v1/inbox/{recipient}/ack");

    private Map<String, String> match(PathTemplate template, String path) {
        return template.match(PathTemplate.split(path));
    }

    @Test
    void aParameterTakesOneRawSegment() {
        assertThat(match(ack, "/v1/inbox/%2B14155550123/ack")).containsEntry("recipient", "%2B14155550123");
        assertThat(match(ack, "/v1/inbox/a%2Fb/ack")).containsEntry("recipient", "a%2Fb");
    }

    @Test
    void aPathWithMoreFewerOrEmptySegmentsDoesNotMatch() {
        assertThat(match(ack, "/v1/inbox/ack")).isNull();
        assertThat(match(ack, "/v1/inbox//ack")).isNull();
        assertThat(match(ack, "/v1/inbox/a/b/ack")).isNull();
        assertThat(match(ack, "/v1/inbox/a/ack/")).isNull();
        assertThat(match(ack, "v1/inbox/a/ack")).isNull();
        assertThat(match(ack, "/v1/INBOX/a/ack")).isNull();
    }

    @Test
    void aLiteralPathMatchesItselfOnly() {
        PathTemplate metrics = new PathTemplate("/metrics");
        assertThat(match(metrics, "/metrics")).isEmpty();
        assertThat(match(metrics, "/metrics/")).isNull();
    }

    @Test
    void aMalformedTemplateIsRefusedWhenTheTableIsBuilt() {
        assertThatIllegalArgumentException().isThrownBy(() -> new PathTemplate("v1/x"));
        assertThatIllegalArgumentException().isThrownBy(() -> new PathTemplate("/v1//x"));
        assertThatIllegalArgumentException().isThrownBy(() -> new PathTemplate("/v1/{open"));
    }
}
