package org.optline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks SPEC section 5's promise that clients in any language can be generated from
 * {@code proto/} with any protoc from 3.21 on, by running the system {@code protoc} (Debian 12's
 * protobuf-compiler is 3.21.12) for Python and C++. The Maven build compiles the schema with a
 * much newer protoc, which would not notice a feature that 3.21 lacks.
 */
class SchemaCompilesWithProtoc321Test {
    private static final Path SCHEMA = Path.of("proto", "optline", "v1");
    /** protoc answers in milliseconds; a minute only guards the build against a hung process. */
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern VERSION = Pattern.compile("libprotoc (\\d+)\\.(\\d+)(\\.\\d+)?");

    @TempDir
    Path out;

    @Test
    void theSchemaCompilesForPythonAndCppWithTheSystemProtoc(TestReporter reporter)
            throws IOException, InterruptedException {
        Optional<Path> protoc = onPath("protoc");
        Assumptions.assumeTrue(protoc.isPresent(),
                "protoc is not on PATH, so the schema is not checked against protoc 3.21; install it "
                        + "(Debian 12: apt-get install protobuf-compiler) to run this test, as CI does");

        Path protoRoot = protoRoot();
        List<String> schemaFiles = schemaFiles(protoRoot);
        assertThat(schemaFiles).contains("optline/v1/message.proto", "optline/v1/frames.proto");

        Run version = run(protoRoot, List.of(protoc.get().toString(), "--version"));
        assertThat(version.exitCode).as("protoc --version exit code; output: %s", version.output).isZero();
        // Only information: any protoc from 3.21 on must do, newer ones included.
        Matcher matcher = VERSION.matcher(version.output);
        assertThat(matcher.find()).as("protoc --version printed '%s'", version.output.strip()).isTrue();
        reporter.publishEntry("protoc", matcher.group());
        System.out.println("checking the schema with " + protoc.get() + " (" + matcher.group() + ")");

        Path python = Files.createDirectories(out.resolve("python"));
        Path cpp = Files.createDirectories(out.resolve("cpp"));
        List<String> command = new ArrayList<>(List.of(protoc.get().toString(), "-I", ".",
                "--python_out=" + python, "--cpp_out=" + cpp));
        command.addAll(schemaFiles);
        Run compile = run(protoRoot, command);

        assertThat(compile.exitCode).as("protoc exit code; output:%n%s", compile.output).isZero();
        if (!compile.output.isBlank()) {
            reporter.publishEntry("protoc output", compile.output.strip());
        }
        for (String file : schemaFiles) {
            String base = file.substring(0, file.length() - ".proto".length());
            assertThat(python.resolve(base + "_pb2.py")).isRegularFile().isNotEmptyFile();
            assertThat(cpp.resolve(base + ".pb.h")).isRegularFile().isNotEmptyFile();
            assertThat(cpp.resolve(base + ".pb.cc")).isRegularFile().isNotEmptyFile();
        }
    }

    /** The first executable of that name on PATH, as a shell would find it. */
    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : List.of(program, program + ".exe")) {
                Path candidate = Path.of(dir).resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The directory that holds {@code optline/v1}: surefire runs in the module directory, an
     * IDE may run in the repository root, so walk up until {@code proto/optline/v1} is found.
     */
    private static Path protoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(SCHEMA))) {
                return dir.resolve("proto");
            }
        }
        throw new AssertionError("no proto/optline/v1 above " + Path.of("").toAbsolutePath());
    }

    /** The schema's files relative to the proto root, as protoc names them with {@code -I .}. */
    private static List<String> schemaFiles(Path protoRoot) throws IOException {
        try (Stream<Path> files = Files.list(protoRoot.resolve("optline").resolve("v1"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".proto"))
                    .map(f -> protoRoot.relativize(f).toString().replace(File.separatorChar, '/'))
                    .sorted()
                    .toList();
        }
    }

    private record Run(int exitCode, String output) {}

    /** Runs a command in dir, output and errors into one file so that a full pipe never blocks it. */
    private Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(out, "protoc", ".log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within "
                    + TIMEOUT_SECONDS + " s");
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
