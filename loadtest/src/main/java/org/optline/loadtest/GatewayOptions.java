package org.optline.loadtest;

import java.util.Map;
import picocli.CommandLine.Option;

/** Where the gateway is and the keys to use: the options every command that talks to one shares. */
final class GatewayOptions {
    @Option(names = "--host", paramLabel = "HOST", description = "The gateway's host (default: ${DEFAULT-VALUE}).")
    String host = Target.DEFAULT_HOST;

    @Option(names = "--tcp-port", paramLabel = "PORT",
            description = "The gateway's binary-protocol port (default: ${DEFAULT-VALUE}).")
    int tcpPort = Target.DEFAULT_TCP_PORT;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "The gateway's HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort = Target.DEFAULT_HTTP_PORT;

    @Option(names = "--key", paramLabel = "KEY",
            description = "The business's API key (default: the environment variable " + LoadTest.KEY_VARIABLE + ").")
    String key;

    @Option(names = "--platform-key", paramLabel = "KEY",
            description = "The platform's key, for the consent and inbox APIs (default: the environment variable "
                    + LoadTest.PLATFORM_KEY_VARIABLE + ").")
    String platformKey;

    @Option(names = "--business", paramLabel = "ID",
            description = "The business the keys belong to (default: ${DEFAULT-VALUE}).")
    String business = Target.DEFAULT_BUSINESS;

    /**
     * The target, with keys not given as options read from {@code environment}; an empty
     * variable counts as unset, as shells often leave them.
     */
    Target target(Map<String, String> environment) {
        return new Target(host, tcpPort, httpPort, orEnvironment(key, environment, LoadTest.KEY_VARIABLE),
                orEnvironment(platformKey, environment, LoadTest.PLATFORM_KEY_VARIABLE), business);
    }

    private static String orEnvironment(String given, Map<String, String> environment, String variable) {
        if (given != null) {
            return given;
        }
        String value = environment.get(variable);
        return value == null || value.isBlank() ? null : value;
    }
}
