package org.optline.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code scripts/cluster.sh}: a Kafka cluster of three brokers in this JVM and two or three gateway
 * nodes against it, each a child process ({@code org.optline.server.Main --config node-N.properties})
 * that can be stopped or killed on its own to watch its partitions move. One demo business and
 * one platform key for every node, printed at start. Ctrl-C stops everything; the brokers' files
 * are temporary, the nodes' are under {@code --dir}.
 *
 * <p>For trying a cluster on one machine only: one machine is no cluster (see docs/operations.md).
 */
public final class LocalCluster {
    private LocalCluster() {}

    public static void main(String[] args) throws Exception {
        int nodes = 3;
        Path dir = Path.of("target", "local-cluster");
        int firstHttpPort = 8080;
        int firstTcpPort = 9090;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--http-port" -> firstHttpPort = Integer.parseInt(args[++i]);
                case "--tcp-port" -> firstTcpPort = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: LocalCluster [--nodes 1-3] [--dir DIR] [--http-port 8080] [--tcp-port 9090]");
                    System.exit(2);
                }
            }
        }
        if (nodes < 1 || nodes > 3) {
            System.err.println("--nodes must be 1, 2 or 3");
            System.exit(2);
        }
        Files.createDirectories(dir);
        System.out.println("Starting a Kafka cluster of 3 brokers (KRaft, in this JVM)...");
        LocalKafka kafka = LocalKafka.start(3);
        String businessKey = "olk_" + random();
        String platformKey = "olp_" + random();
        List<Process> children = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            children.forEach(Process::destroy);
            for (Process child : children) {
                try {
                    child.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                kafka.close();
            } catch (Exception e) {
                System.err.println("stopping the brokers: " + e);
            }
        }, "local-cluster-stop"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int n = 0; n < nodes; n++) {
            Path config = dir.resolve("node-" + n + ".properties");
            Files.writeString(config, String.join("\n",
                    "# written by scripts/cluster.sh: node " + n + " of a local cluster",
                    "http.host=127.0.0.1",
                    "http.port=" + (firstHttpPort + n),
                    "tcp.host=127.0.0.1",
                    "tcp.port=" + (firstTcpPort + n),
                    "data.dir=" + dir.resolve("node-" + n).toAbsolutePath(),
                    "storage=kafka",
                    "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "platform.key-sha256=" + sha256(platformKey),
                    "business.demo-bank.key-sha256=" + sha256(businessKey),
                    "business.demo-bank.throughput=1000000",
                    "business.demo-bank.tier=unlimited",
                    ""), StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    "org.optline.server.Main", "--config", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + n + ".log").toFile()));
            builder.environment().keySet().removeIf(name -> name.startsWith("OPTLINE_"));
            children.add(builder.start());
        }
        System.out.println();
        System.out.println("Kafka: " + kafka.bootstrapServers());
        for (int n = 0; n < nodes; n++) {
            System.out.println("node " + n + ": HTTP http://127.0.0.1:" + (firstHttpPort + n) + "  TCP 127.0.0.1:"
                    + (firstTcpPort + n) + "  pid " + children.get(n).pid() + "  log " + dir.resolve("node-" + n + ".log"));
        }
        System.out.println();
        System.out.println("Keys of every node:");
        System.out.println("  export OPTLINE_KEY=" + businessKey + "            # business demo-bank");
        System.out.println("  export OPTLINE_PLATFORM_KEY=" + platformKey);
        System.out.println("Try: kill -9 one node's pid, and read its recipients' messages through another node.");
        System.out.println("Ctrl-C stops the nodes and the brokers.");
        for (Process child : children) {
            child.waitFor();
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String key) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
