package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.optline.core.business.BusinessDirectory;
import org.optline.server.Lifecycle;
import org.optline.server.testing.TestBusinesses;

/**
 * The finding: a request that hit an unexpected error wrote about 33 lines of stack trace, every
 * time, so that any client able to trigger it could flood the log. Now each is answered 500 and
 * reported in one line, and a burst of them in a handful of lines.
 */
class UnexpectedErrorLogTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

    private final HttpApi api = new HttpApi(Routes.builder()
            .route(HttpMethod.GET, "/throws", Access.NONE, call -> {
                throw new IllegalStateException("a bug, for +1 415 555 0123");
            })
            .route(HttpMethod.GET, "/fails", Access.NONE, call -> CompletableFuture.failedFuture(
                    new IllegalStateException("a failed store read, for +1 415 555 0123")))
            .build(),
            new BusinessDirectory(TestBusinesses.all(), TestBusinesses.platform()), () -> true);

    @BeforeEach
    void captureTheLog() {
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheLog() {
        System.setErr(originalErr);
    }

    @Test
    void aHundredUnexpectedErrorsAreEachAnswered500AndLoggedInAFewSingleLines() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpApiHandler(api, new Lifecycle(), 4));
        for (int i = 0; i < 100; i++) {
            channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    i % 2 == 0 ? "/throws" : "/fails"));
            FullHttpResponse response = channel.readOutbound();
            assertThat(response).as("answer to request %d", i).isNotNull();
            assertThat(response.status()).isEqualTo(HttpResponseStatus.INTERNAL_SERVER_ERROR);
            assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("INTERNAL")
                    .doesNotContain("415");
            response.release();
        }
        assertThat(channel.isOpen()).as("the connection stays usable").isTrue();
        channel.finishAndReleaseAll();

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as("what was logged").isNotEmpty().hasSizeLessThanOrEqualTo(10)
                .allSatisfy(line -> assertThat(line).contains("unexpected failure answering an HTTP request")
                        .contains("IllegalStateException").doesNotContain("415 555").doesNotContain("0123"));
    }
}
