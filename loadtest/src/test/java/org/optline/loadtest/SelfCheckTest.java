package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SelfCheckTest {

    @Test
    void selfcheckStartsADurableGatewaySeedsRunsAndPasses() {
        StringWriter out = new StringWriter();
        CommandLine command = LoadTest.commandLine(Map.of());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(out, true));

        int exitCode = command.execute("selfcheck", "--duration", "1s", "--recipients", "50", "--rate", "500");

        assertThat(exitCode).as(out.toString()).isZero();
        assertThat(out.toString()).contains("RocksDB store", "opt-ins: 75 of 75 recorded", "ACCEPTED", "selfcheck ok");
    }
}
