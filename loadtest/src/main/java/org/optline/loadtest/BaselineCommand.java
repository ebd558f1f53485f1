package org.optline.loadtest;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.optline.loadtest.baseline.BaselineServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code baseline}: serves the gateway's protocols with a bare Netty server that only decodes
 * each request and answers every message ACCEPTED, with no admission work — the limit of this
 * machine and this client, to give every gateway figure as a ratio to.
 */
@Command(name = "baseline", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {
            "Starts a bare Netty server on the gateway's protocols that decodes each request and answers every "
                    + "message ACCEPTED with no admission work, no consent and no storage. It is NOT a gateway: "
                    + "it is the machine's limit, to compare the gateway's figures with. Stops on Ctrl-C."})
final class BaselineCommand implements Callable<Integer> {
    /** Beside the gateway's 9090 and 8080, so both can run at once. */
    static final int DEFAULT_TCP_PORT = 9190;
    static final int DEFAULT_HTTP_PORT = 8190;

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", description = "Listen on (default: ${DEFAULT-VALUE}).")
    private String host = Target.DEFAULT_HOST;

    @Option(names = "--tcp-port", paramLabel = "PORT", description = "Binary protocol (default: ${DEFAULT-VALUE}).")
    private int tcpPort = DEFAULT_TCP_PORT;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP (default: ${DEFAULT-VALUE}).")
    private int httpPort = DEFAULT_HTTP_PORT;

    @Override
    public Integer call() throws Exception {
        try {
            Settings.checkRange("--tcp-port", tcpPort, 0, 65_535);
            Settings.checkRange("--http-port", httpPort, 0, 65_535);
        } catch (IllegalArgumentException e) {
            throw LoadTest.usage(spec, e);
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        BaselineServer server = BaselineServer.start(host, tcpPort, httpPort);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "baseline-shutdown"));
        out.printf("baseline server (bare Netty, no admission work) on %s: TCP %d, HTTP %d; Ctrl-C stops it%n",
                host, server.tcpPort(), server.httpPort());
        out.flush();
        stopped.await();
        return 0;
    }
}
