package dev.spa.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server started as a child Java process, its output in a log file: started, waited for until it
 * accepts connections, and stopped (with everything it started) on {@link #close()}.
 */
public class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    protected ServerProcess(String name, List<String> command, Path workDir, Path log) {
        this(name, command, Map.of(), workDir, log);
    }

    /** @param environment added to the child's environment (secrets go here, never on its command line) */
    protected ServerProcess(String name, List<String> command, Map<String, String> environment, Path workDir, Path log) {
        this.name = name;
        this.log = log;
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** The folder the build copied the servers' jars into (deploy/servers/target). */
    public static Path serversDir() {
        String configured = System.getProperty("spa.servers.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("deploy/servers/target");
        if (!Files.isDirectory(dir.resolve("kafka"))) {
            throw new IllegalStateException("no server jars in " + dir.toAbsolutePath()
                    + ": build first (mvn -B -DskipTests package) or set -Dspa.servers.dir");
        }
        return dir;
    }

    public String name() {
        return name;
    }

    protected static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the port accepts connections, failing with the log's tail if the process dies or time runs out. */
    protected void awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IllegalStateException(name + " did not open port " + port + " within " + timeout + ":\n" + logTail());
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops it the hard way, as a crash or an evicted pod would: no shutdown hooks, nothing finished. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
