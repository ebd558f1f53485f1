package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line itself: help, subcommands and usage errors, with no gateway involved. */
class LoadTestCommandTest {
    private static final Map<String, String> KEY_IN_ENVIRONMENT = Map.of(LoadTest.KEY_VARIABLE, "olk_from_env");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpListsTheCommandsAndExitsZero() {
        assertThat(execute(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("seed", "run", "find-max", "selfcheck", "baseline", "Exit codes");
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        assertThat(execute(Map.of(), "run", "--help")).isZero();
        assertThat(out.toString()).contains("--rate", "--slo", "--warm-up", "--duration", "--mix", "--non-consented",
                "--invalid", "--duplicates", "--in-flight", "--batch", "OPTLINE_KEY", "coordinated omission");
        assertThat(execute(Map.of(), "seed", "--help")).isZero();
        assertThat(out.toString()).contains("--recipients", "--platform-key");
        assertThat(execute(Map.of(), "find-max", "--help")).isZero();
        assertThat(out.toString()).contains("--p99", "--start-rate", "--factor", "--[no-]half");
        assertThat(execute(Map.of(), "selfcheck", "--help")).isZero();
        assertThat(execute(Map.of(), "baseline", "--help")).isZero();
        assertThat(out.toString()).contains("NOT a gateway");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(execute(Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("Missing a command");
    }

    @Test
    void aRunNeedsARate() {
        assertThat(execute(KEY_IN_ENVIRONMENT, "run")).isEqualTo(2);
        assertThat(err.toString()).contains("--rate").contains("--help");
    }

    @Test
    void aMissingKeyIsAUsageError() {
        assertThat(execute(Map.of(), "run", "--rate", "100")).isEqualTo(2);
        assertThat(err.toString()).contains("--key").contains(LoadTest.KEY_VARIABLE);
    }

    @Test
    void seedingNeedsThePlatformKey() {
        assertThat(execute(KEY_IN_ENVIRONMENT, "seed")).isEqualTo(2);
        assertThat(err.toString()).contains("--platform-key").contains(LoadTest.PLATFORM_KEY_VARIABLE);
    }

    @Test
    void valuesOutsideTheirRangeAreUsageErrors() {
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--batch", "1001")).isEqualTo(2);
        assertThat(err.toString()).contains("--batch must be between 1 and 1000");
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "0")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--connections", "0")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--recipients", "1000001")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--tcp-port", "70000")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--business", "Demo Bank")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--duration", "0s")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--invalid", "101")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "find-max", "--factor", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--factor");
    }

    @Test
    void badlyFormedValuesAreUsageErrors() {
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--protocol", "udp")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--duration", "soon")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "many")).isEqualTo(2);
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--slo", "fast")).isEqualTo(2);
        assertThat(err.toString()).contains("p99<5ms");
        assertThat(execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--mix", "sms=5")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown kind 'sms'");
    }

    @Test
    void anUnreachableGatewayFailsTheRunWithExitCodeOne() {
        // port 1 on loopback: nothing listens there, so every connection is refused at once
        int exitCode = execute(KEY_IN_ENVIRONMENT, "run", "--rate", "100", "--tcp-port", "1", "--connections", "2",
                "--warm-up", "0s", "--duration", "1s", "--grace", "1s", "--results", "target/loadtest-results");
        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString()).contains("connect failed").contains("run FAILED");
    }

    private int execute(Map<String, String> environment, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine command = LoadTest.commandLine(environment);
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }
}
