package org.optline.cluster;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The 3-broker cluster the test classes of this JVM share (those that stop no broker): started on
 * first use, stopped when the JVM exits. Each class works on topics of its own prefix.
 */
final class SharedKafka {
    private static LocalKafka kafka;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private SharedKafka() {}

    static synchronized LocalKafka get() throws Exception {
        if (kafka == null) {
            kafka = LocalKafka.start(3);
            LocalKafka started = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception e) {
                    // The JVM is ending; the brokers' files are temporary.
                }
            }, "shared-kafka-stop"));
        }
        return kafka;
    }

    static String prefix(String name) {
        return "c" + PREFIXES.incrementAndGet() + "-" + name + "-" + ProcessHandle.current().pid();
    }
}
