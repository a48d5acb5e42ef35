package dev.spa.local;

import dev.spa.testkit.ServerProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One SPA service run from its Quarkus build (target/quarkus-app), ready once /q/health/ready answers 200. */
final class ServiceProcess extends ServerProcess {
    private final int port;

    private ServiceProcess(String name, List<String> command, Map<String, String> environment, Path dir, int port) {
        super(name, command, environment, dir, dir.resolve(name + ".log"));
        this.port = port;
    }

    /**
     * @param settings    configuration as system properties (endpoints, ports: nothing secret)
     * @param environment secrets, as environment variables
     */
    static ServiceProcess start(String name, Path servicesDir, String heap, int port, Map<String, String> settings,
                                Map<String, String> environment, Path dir) {
        Path jar = servicesDir.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the " + name + " service is not built (" + jar + " is missing): run mvn -B -DskipTests package");
        }
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-Dquarkus.http.port=" + port));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        ServiceProcess service = new ServiceProcess(name, command, environment, dir, port);
        service.awaitReady(Duration.ofSeconds(180));
        return service;
    }

    int port() {
        return port;
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name() + " exited while starting:\n" + logTail());
            }
            try {
                HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(300);
        }
        throw new IllegalStateException(name() + " not ready within " + timeout.toSeconds() + " s (last: " + last + "):\n" + logTail());
    }
}
