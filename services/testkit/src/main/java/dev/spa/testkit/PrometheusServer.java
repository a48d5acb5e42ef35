package dev.spa.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus (Debian's {@code prometheus} package, or the binary named by {@code PROMETHEUS_BIN})
 * on a free port, with the given scrape configuration, answering PromQL queries over its HTTP API.
 */
public final class PrometheusServer extends ServerProcess {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final int port;

    private PrometheusServer(List<String> command, Path dir, int port) {
        super("prometheus", command, dir, dir.resolve("prometheus.log"));
        this.port = port;
    }

    /** The binary, or null when this machine has none. */
    public static Path binary() {
        String configured = System.getenv("PROMETHEUS_BIN");
        Path bin = Path.of(configured != null ? configured : "/usr/bin/prometheus");
        return Files.isExecutable(bin) ? bin : null;
    }

    public static PrometheusServer start(Path dir, String config) {
        Path bin = binary();
        if (bin == null) {
            throw new IllegalStateException("no Prometheus: install Debian's prometheus package or set PROMETHEUS_BIN");
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("prometheus.yml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = freePort();
        PrometheusServer server = new PrometheusServer(List.of(bin.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port), dir, port);
        try {
            server.awaitPort(port, Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** An instant query's raw JSON answer (status, and data.result). */
    public String query(String promql) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
