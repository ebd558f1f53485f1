package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadTestCommandTest {
    private static final Map<String, String> KEY_IN_ENVIRONMENT = Map.of(LoadTest.KEY_VARIABLE, "olk_from_env");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpListsTheOptionsAndExitsZero() {
        assertThat(execute(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("--protocol", "--platform-key", "--timeout", "OPTLINE_KEY");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(execute(KEY_IN_ENVIRONMENT, "--rate", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("--rate").contains("--help");
    }

    @Test
    void aMissingKeyIsAUsageError() {
        assertThat(execute(Map.of(), "--messages", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--key").contains(LoadTest.KEY_VARIABLE);
    }

    @Test
    void valuesOutsideTheirRangeAreUsageErrors() {
        assertThat(execute(KEY_IN_ENVIRONMENT, "--batch", "1001")).isEqualTo(2);
        assertThat(err.toString()).contains("--batch must be between 1 and 1000");
        assertThat(execute(KEY_IN_ENVIRONMENT, "--messages", "0")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "--connections", "0")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "--recipients", "1000001")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "--tcp-port", "70000")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "--business", "Demo Bank")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "--timeout", "0s")).isEqualTo(2);
    }

    @Test
    void badlyFormedValuesAreUsageErrors() {
        assertThat(execute(KEY_IN_ENVIRONMENT, "--protocol", "udp")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "--timeout", "soon")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "--messages", "many")).isEqualTo(2);
    }

    @Test
    void defaultsSuitATcpRunAgainstALocalGateway() {
        RunPlan plan = plan(KEY_IN_ENVIRONMENT);

        assertThat(plan.protocol()).isEqualTo(Protocol.TCP);
        assertThat(plan.host()).isEqualTo("127.0.0.1");
        assertThat(plan.port()).isEqualTo(9090);
        assertThat(plan.apiKey()).isEqualTo("olk_from_env");
        assertThat(plan.optsIn()).isFalse();
        assertThat(plan.businessId()).isEqualTo("demo-bank");
        assertThat(plan.messages()).isEqualTo(10_000);
        assertThat(plan.batch()).isEqualTo(100);
        assertThat(plan.connections()).isEqualTo(4);
        assertThat(plan.inFlight()).isEqualTo(64);
        assertThat(plan.recipients()).isEqualTo(1_000);
        assertThat(plan.timeout()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void anHttpRunSendsOneMessagePerRequestUnlessToldOtherwise() {
        assertThat(plan(KEY_IN_ENVIRONMENT, "--protocol", "http").batch()).isEqualTo(1);
        assertThat(plan(KEY_IN_ENVIRONMENT, "--protocol", "HTTP", "--batch", "20").batch()).isEqualTo(20);
        assertThat(plan(KEY_IN_ENVIRONMENT, "--protocol", "http").port()).isEqualTo(8080);
    }

    @Test
    void keysOnTheCommandLineWinOverTheEnvironment() {
        Map<String, String> environment = Map.of(
                LoadTest.KEY_VARIABLE, "olk_from_env", LoadTest.PLATFORM_KEY_VARIABLE, "olp_from_env");

        assertThat(plan(environment).platformKey()).isEqualTo("olp_from_env");
        RunPlan plan = plan(environment, "--key", "olk_given", "--platform-key", "olp_given");
        assertThat(plan.apiKey()).isEqualTo("olk_given");
        assertThat(plan.platformKey()).isEqualTo("olp_given");
        assertThat(plan.toString()).doesNotContain("olk_given").doesNotContain("olp_given");
    }

    @Test
    void anEmptyPlatformKeyVariableMeansNoOptIns() {
        Map<String, String> environment =
                Map.of(LoadTest.KEY_VARIABLE, "olk_from_env", LoadTest.PLATFORM_KEY_VARIABLE, "");

        assertThat(plan(environment).optsIn()).isFalse();
    }

    @Test
    void anUnreachableGatewayFailsTheRun() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        int exitCode = execute(KEY_IN_ENVIRONMENT, "--tcp-port", String.valueOf(closedPort), "--messages", "10",
                "--connections", "2", "--timeout", "20s");

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString()).contains("connect failed").contains("10 not sent").contains("run FAILED");
    }

    private int execute(Map<String, String> environment, String... args) {
        CommandLine commandLine = LoadTest.commandLine(environment);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static RunPlan plan(Map<String, String> environment, String... args) {
        CommandLine commandLine = LoadTest.commandLine(environment);
        commandLine.parseArgs(args);
        return commandLine.<LoadTest>getCommand().plan();
    }
}
