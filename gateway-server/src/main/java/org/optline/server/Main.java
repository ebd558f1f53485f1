package org.optline.server;

import java.nio.file.Path;
import java.time.InstantSource;
import org.optline.core.storage.StorageException;
import org.optline.server.config.ConfigException;
import org.optline.server.config.ConfigLoader;
import org.optline.server.config.DemoCredentials;
import org.optline.server.config.GatewayConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a gateway node: {@code java -jar optline-gateway.jar [--config FILE]}. With no file
 * it runs on embedded defaults and a local demo business. It stops gracefully on SIGTERM or
 * Ctrl-C. {@code restore} puts a backup in place of a stopped node's store ({@link RestoreCommand}).
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("restore")) {
            System.exit(RestoreCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out,
                    System.err));
            return;
        }
        Path configFile = null;
        boolean ephemeral = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 == args.length) {
                        usage("--config needs a file");
                    }
                    configFile = Path.of(args[++i]);
                }
                case "--ephemeral" -> ephemeral = true;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.load(configFile, System.getenv());
        } catch (ConfigException e) {
            System.err.println("optline: " + e.getMessage());
            System.exit(2);
            return;
        }
        GatewayConfig config = loaded.config();
        Gateway gateway;
        try {
            gateway = ephemeral ? Gateway.inMemory(config, InstantSource.system())
                    : Gateway.of(config, InstantSource.system());
        } catch (StorageException | ConfigException e) {
            // A store that cannot open, or a configured template that its review refuses.
            System.err.println("optline: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            gateway.start();
        } catch (Exception e) {
            // A port in use, most often: release the store and the threads, and say why.
            System.err.println("optline: cannot start: " + e.getMessage());
            gateway.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "optline-shutdown"));
        announceDemo(loaded.demo(), loaded.demoPlatformKeyInUse(), gateway);
    }

    private static void announceDemo(DemoCredentials demo, boolean platformKeyInUse, Gateway gateway) {
        if (demo == null) {
            return;
        }
        if (demo.created()) {
            // Printed once, when made; later starts only say where they are.
            System.out.println();
            System.out.println("A local demo business '" + DemoCredentials.BUSINESS_ID + "' was created. Its keys:");
            System.out.println("  OPTLINE_KEY=" + demo.businessKey());
            System.out.println(platformKeyInUse ? "  OPTLINE_PLATFORM_KEY=" + demo.platformKey()
                    : "  (the platform credential is the configured platform.key-sha256, not the demo one)");
            System.out.println("They are saved in " + demo.file() + " (owner-only); load them in a shell with:");
        } else {
            System.out.println("Demo business '" + DemoCredentials.BUSINESS_ID + "': keys in " + demo.file()
                    + "; load them in a shell with:");
        }
        System.out.println("  set -a; . " + demo.file() + "; set +a");
        System.out.println("HTTP: http://" + gateway.context().config().httpHost() + ":" + gateway.httpPort()
                + "   TCP: " + gateway.context().config().tcpHost() + ":" + gateway.tcpPort());
        log.info("demo business {} active", DemoCredentials.BUSINESS_ID);
    }

    private static final String USAGE = """
            Usage: optline-gateway [--config FILE] [--ephemeral]
                   optline-gateway restore --from BACKUP_DIR --data-dir DATA_DIR   (see restore --help)
              --config FILE   the configuration file (Java properties; see docs/configuration.md).
                              Without it the gateway runs on embedded defaults with a local demo business.
              --ephemeral     keep consents and queues in memory only (lost at exit); for tests and demos.
              Every key can be overridden by an environment variable: http.port -> OPTLINE_HTTP_PORT.""";

    private static void usage(String problem) {
        System.err.println("optline: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
