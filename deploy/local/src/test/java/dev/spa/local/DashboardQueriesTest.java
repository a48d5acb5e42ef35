package dev.spa.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.spa.platform.Topics;
import dev.spa.testkit.IngestClient;
import dev.spa.testkit.PrometheusServer;
import dev.spa.testkit.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboards against a real Prometheus (Debian's package) scraping the running local stack
 * with the committed scrape configuration: after a pruned job and a failed one, every query of every
 * panel must parse and return data. A misspelt metric or label, or a panel left without a query, fails.
 */
class DashboardQueriesTest {
    private static final Path REPO = Path.of(System.getProperty("spa.repo.dir", "../.."));
    private static LocalStack stack;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startStackAndPrometheus() throws Exception {
        Path digits = Path.of(System.getProperty("spa.shared.dir", "../../shared"), "models", "digits_mobilenet.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(digits), "skipped: " + digits + " is absent (the shared test models live beside the repository)");
        Assumptions.assumeTrue(PrometheusServer.binary() != null,
                "skipped: no Prometheus on this machine (apt-get install prometheus, as .ci/run does, or set PROMETHEUS_BIN)");
        Path dir = Files.createTempDirectory("spa-dashboards");
        stack = LocalStack.start(dir.resolve("stack"), Path.of(System.getProperty("spa.services.dir", "../../services")));
        prometheus = PrometheusServer.start(dir.resolve("prometheus"), scrapeConfigFor(stack));
        TopicReader.use(stack.bootstrapServers());
        byte[] model = Files.readAllBytes(digits);
        String pruned = IngestClient.upload(stack.url("ingest"), stack.apiToken(), HttpRequest.BodyPublishers.ofByteArray(model), "?name=digits.onnx");
        String failed = IngestClient.upload(stack.url("ingest"), stack.apiToken(), HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(model, model.length / 2)),
                "?name=corrupt.onnx");
        TopicReader.await(Topics.MODELS_PRUNED, r -> TopicReader.keyIs(r, pruned));
        TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, failed));
    }

    /** The committed configuration, scraping every second, with each service's address replaced by the local stack's. */
    private static String scrapeConfigFor(LocalStack stack) throws Exception {
        String config = Files.readString(REPO.resolve("deploy/prometheus/prometheus.yml")).replace("scrape_interval: 15s", "scrape_interval: 1s");
        for (String service : LocalStack.SERVICES) {
            String target = "'" + service + ":8080'";
            assertTrue(config.contains(target), "deploy/prometheus/prometheus.yml does not scrape " + service);
            config = config.replace(target, "'" + stack.url(service).substring("http://".length()) + "'");
        }
        return config;
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyQueryOfEveryPanelParsesAndReturnsData() throws Exception {
        List<String> problems = new ArrayList<>();
        int queries = 0;
        try (Stream<Path> files = Files.list(REPO.resolve("deploy/grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonObject dashboard = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
                for (JsonObject panel : panels(dashboard.getAsJsonArray("panels"))) {
                    String where = file.getFileName() + " \"" + panel.get("title").getAsString() + "\"";
                    JsonArray targets = panel.getAsJsonArray("targets");
                    if (targets == null || targets.isEmpty()) {
                        problems.add(where + ": no query");
                        continue;
                    }
                    for (JsonElement target : targets) {
                        queries++;
                        String expr = target.getAsJsonObject().get("expr").getAsString();
                        String problem = awaitData(expr.replace("$__rate_interval", "5m"));
                        if (problem != null) {
                            problems.add(where + ": " + expr + " -> " + problem);
                        }
                    }
                }
            }
        }
        assertTrue(queries > 0, "no dashboard queries found");
        assertTrue(problems.isEmpty(), problems.size() + " of " + queries + " queries failed:\n" + String.join("\n", problems));
    }

    /** Panels, with those inside collapsed rows; rows themselves hold no query. */
    private static List<JsonObject> panels(JsonArray array) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : array) {
            JsonObject panel = e.getAsJsonObject();
            if ("row".equals(panel.get("type").getAsString())) {
                if (panel.has("panels")) {
                    out.addAll(panels(panel.getAsJsonArray("panels")));
                }
            } else {
                out.add(panel);
            }
        }
        return out;
    }

    /** Null once the query answers with at least one series; else what was wrong after 60 s of scrapes. */
    private static String awaitData(String promql) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonObject answer = JsonParser.parseString(prometheus.query(promql)).getAsJsonObject();
            if (!"success".equals(answer.get("status").getAsString())) {
                return answer.get("errorType").getAsString() + ": " + answer.get("error").getAsString();
            }
            JsonArray result = answer.getAsJsonObject("data").getAsJsonArray("result");
            if (!result.isEmpty()) {
                return null;
            }
            Thread.sleep(1000);
        }
        return "no data";
    }
}
