package org.optline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after the module's whole test suite (failsafe, in the integration-test phase) and reads
 * everything the tests and the gateways they started wrote to their output: no full phone
 * number may appear in it, though the tests submit and consent for thousands of numbers.
 */
class LogLeakIT {
    /** An E.164 number, or the national digits of the numbers the tests use, without the plus. */
    private static final Pattern FULL_NUMBER = Pattern.compile(
            "\\+\\d{8,15}(?!\\d)|(?<!\\d)(44791\\d{7}|1415555\\d{4}|1202555\\d{4})(?!\\d)");

    @Test
    void noTestOutputContainsAFullPhoneNumber() throws IOException {
        Path reports = Path.of("target", "surefire-reports");
        List<Path> outputs = new ArrayList<>(outputsIn(reports));
        // The core module's suite ran before this one in the same build; read its output too.
        outputs.addAll(outputsIn(Path.of("..", "gateway-core", "target", "surefire-reports")));
        // Not a vacuous pass: the end-to-end suites did run and did log.
        assertThat(outputs).as("captured test output in %s", reports.toAbsolutePath()).hasSizeGreaterThan(5);
        long bytes = 0;
        List<String> leaks = new ArrayList<>();
        for (Path output : outputs) {
            String text = Files.readString(output, StandardCharsets.UTF_8);
            bytes += text.length();
            Matcher m = FULL_NUMBER.matcher(text);
            while (m.find() && leaks.size() < 20) {
                int lineStart = text.lastIndexOf('\n', m.start()) + 1;
                int lineEnd = text.indexOf('\n', m.end());
                leaks.add(output.getFileName() + ": " + text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd)
                        .replace(m.group(), "<number>"));
            }
        }
        assertThat(bytes).as("bytes of captured output").isPositive();
        assertThat(leaks).as("log lines with a full phone number").isEmpty();
    }

    private static List<Path> outputsIn(Path reports) throws IOException {
        if (!Files.isDirectory(reports)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(reports)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-output.txt")).toList();
        }
    }
}
