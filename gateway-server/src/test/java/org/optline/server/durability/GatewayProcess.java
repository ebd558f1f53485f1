package org.optline.server.durability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway running as a child JVM ({@code org.optline.server.Main --config FILE}) on the test's
 * class path, so that it can be killed with SIGKILL. Its output (stdout and stderr merged) is
 * read on a thread and kept; {@link #start} returns once the child logs its ready line, with the
 * ports it bound. {@link #kill()} is {@code kill -9}; {@link #close()} kills it too, so a child
 * never outlives its test (a shutdown hook covers a test JVM that dies first).
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile(
            "Optline gateway ready: HTTP on [^\\s:]+:(\\d+), TCP on [^\\s:]+:(\\d+)");
    /** The output kept for a failure message: enough for a stack trace, bounded for a chatty child. */
    private static final int KEPT_LINES = 400;

    private final Process process;
    private final Thread hook;
    private final List<String> lines = new ArrayList<>();
    private final CompletableFuture<int[]> ready = new CompletableFuture<>();
    private int httpPort;
    private int tcpPort;

    private GatewayProcess(Process process) {
        this.process = process;
        this.hook = new Thread(process::destroyForcibly, "kill-child-gateway");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread reader = new Thread(this::readOutput, "child-gateway-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a gateway on this configuration file and waits (up to {@code timeout}) until it is ready. */
    static GatewayProcess start(Path configFile, Duration timeout) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "org.optline.server.Main", "--config", configFile.toString())
                .redirectErrorStream(true);
        // The child reads only the file: no OPTLINE_* variable of the test's environment overrides it.
        builder.environment().keySet().removeIf(name -> name.startsWith("OPTLINE_"));
        GatewayProcess child;
        try {
            child = new GatewayProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the child gateway", e);
        }
        try {
            int[] ports = child.ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            child.httpPort = ports[0];
            child.tcpPort = ports[1];
            return child;
        } catch (TimeoutException | ExecutionException e) {
            child.close();
            throw new AssertionError("the child gateway was not ready within " + timeout + " (exit "
                    + child.exitCode() + "); its output:\n" + child.output(), e);
        } catch (InterruptedException e) {
            child.close();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the child gateway", e);
        }
    }

    /**
     * Starts a gateway on this configuration file that must not become ready: waits (up to
     * {@code timeout}) for the child to exit and returns its exit code and output.
     */
    static Refused startExpectingRefusal(Path configFile, Duration timeout) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "org.optline.server.Main", "--config", configFile.toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("OPTLINE_"));
        GatewayProcess child;
        try {
            child = new GatewayProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the child gateway", e);
        }
        try (child) {
            if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the child gateway did not exit within " + timeout + "; its output:\n"
                        + child.output());
            }
            // The output is read on its own thread: let it reach the end.
            child.ready.handle((ports, failure) -> null).get(5, TimeUnit.SECONDS);
            if (child.ready.isDone() && !child.ready.isCompletedExceptionally()) {
                throw new AssertionError("the child gateway became ready; its output:\n" + child.output());
            }
            return new Refused(child.process.exitValue(), child.output());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the child gateway", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the child gateway's output did not end; its output:\n" + child.output(), e);
        }
    }

    /** A child that exited without becoming ready: its exit code and output. */
    record Refused(int exitCode, String output) {}

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.remove(0);
                    }
                }
                Matcher m = READY.matcher(line);
                if (!ready.isDone() && m.find()) {
                    ready.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                }
            }
        } catch (IOException e) {
            // The child was killed mid-line: its output simply ends.
        }
        ready.completeExceptionally(new IllegalStateException("the child's output ended before it was ready"));
    }

    int httpPort() {
        return httpPort;
    }

    int tcpPort() {
        return tcpPort;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The child's output so far (its last lines). */
    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    private String exitCode() {
        return process.isAlive() ? "none yet" : String.valueOf(process.exitValue());
    }

    /** {@code kill -9}: SIGKILL on Linux, so no shutdown hook of the child runs; returns once it is dead. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the child gateway " + process.pid() + " survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing the child gateway", e);
        }
    }

    /**
     * SIGTERM: the child shuts down gracefully (its shutdown hook drains and closes the store), as
     * an operator's stop does; returns once it has exited.
     */
    void terminate() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the child gateway " + process.pid() + " did not stop within 60 s of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the child gateway", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running or has run.
        }
    }
}
