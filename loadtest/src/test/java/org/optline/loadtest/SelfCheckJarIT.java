package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar, as the README runs it: everything selfcheck needs (the embedded gateway,
 * RocksDB's native library, libphonenumber) must be inside it, not only on the test class path.
 */
class SelfCheckJarIT {
    private static final Path JAR = Path.of("target", "optline-loadtest.jar");

    @Test
    void theRunnableJarPassesItsSelfcheck() throws IOException, InterruptedException {
        assertThat(JAR).exists();
        Path output = Files.createTempFile("selfcheck-", ".txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "selfcheck", "--duration", "2s", "--recipients", "100", "--rate", "500")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);

        assertThat(finished).as(printed).isTrue();
        assertThat(process.exitValue()).as(printed).isZero();
        assertThat(printed).contains("opt-ins: 150 of 150 recorded", "selfcheck ok");
    }
}
