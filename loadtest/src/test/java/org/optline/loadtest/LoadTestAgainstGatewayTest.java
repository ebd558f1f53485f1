package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.server.Gateway;
import org.optline.server.config.GatewayConfig;
import picocli.CommandLine;

/** The load generator against a real gateway on loopback: every message answered, counted by outcome. */
class LoadTestAgainstGatewayTest {
    private static final String KEY = "olk_loadtest_key";
    private static final String PLATFORM_KEY = "olp_loadtest_platform";
    private static Gateway gateway;

    @BeforeAll
    static void startGateway() throws InterruptedException {
        GatewayConfig config = GatewayConfig.builder()
                .http("127.0.0.1", 0)
                .tcp("127.0.0.1", 0)
                .platformCredential(Credential.ofSecret(PLATFORM_KEY))
                .business(new Business("load-bank", List.of(Credential.ofSecret(KEY)), 1_000_000, Tier.UNLIMITED,
                        Quality.GREEN, Map.of()))
                .build();
        gateway = Gateway.inMemory(config, InstantSource.system()).start();
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine command = LoadTest.commandLine(Map.of());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(out));
        int exitCode = command.execute(args);
        assertThat(exitCode).as(out.toString()).isZero();
        return out.toString();
    }

    private String[] common(String protocol, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--protocol", protocol,
                "--http-port", Integer.toString(gateway.httpPort()),
                "--tcp-port", Integer.toString(gateway.tcpPort()),
                "--key", KEY, "--business", "load-bank", "--timeout", "60s"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void pipelinedTcpRunWithOptInsHasEveryMessageAccepted() {
        String report = run(common("tcp", "--messages", "5000", "--recipients", "50", "--platform-key", PLATFORM_KEY));
        assertThat(report).containsPattern("ACCEPTED\\s+5000\\s");
    }

    @Test
    void httpRunCountsRefusalsByReason() {
        // No opt-ins in this run: recipients the other test opted in are accepted, the rest refused.
        String report = run(common("http", "--messages", "200", "--recipients", "20", "--connections", "2"));
        assertThat(report).containsPattern("(ACCEPTED|NOT_OPTED_IN)\\s+\\d+");
        assertThat(report).contains("answered 200 of 200");
    }
}
