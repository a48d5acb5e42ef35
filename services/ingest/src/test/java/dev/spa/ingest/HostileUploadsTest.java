package dev.spa.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spa.modelkit.HostileModels;
import dev.spa.testkit.IngestClient;
import dev.spa.testkit.RealServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every class of ill-formed model uploaded through ingest's API on a real broker and S3 server: each job fails
 * INVALID_MODEL with the engine's exact reason and no Java class name, the service stays healthy, and a good
 * model uploaded after them is accepted.
 */
@QuarkusTest
@QuarkusTestResource(value = RealServersResource.class, restrictToAnnotatedClass = true)
class HostileUploadsTest {
    private static final String TEAM_A = "team-a-test-token-0001";

    @TestHTTPResource("/")
    URL base;

    @Test
    void everyHostileModelFailsWithItsReasonAndTheNextGoodModelIsAccepted() throws Exception {
        String ingest = base.toString().replaceAll("/$", "");
        Map<HostileModels, String> jobs = new EnumMap<>(HostileModels.class);
        for (HostileModels hostile : HostileModels.values()) {
            jobs.put(hostile, IngestClient.upload(ingest, TEAM_A, HttpRequest.BodyPublishers.ofByteArray(hostile.bytes()), "?name=" + hostile + ".onnx"));
        }
        for (Map.Entry<HostileModels, String> job : jobs.entrySet()) {
            JsonNode status = new ObjectMapper().readTree(awaitFinal(ingest, job.getValue()));
            String detail = status.path("detail").asText();
            assertEquals("FAILED", status.path("state").asText(), job.getKey() + ": " + status);
            assertTrue(detail.startsWith("INVALID_MODEL") && detail.contains(job.getKey().reason()), job.getKey() + ": " + detail);
            assertFalse(detail.matches("(?s).*(Exception|java\\.|\\tat ).*"), job.getKey() + " shows Java internals: " + detail);
        }
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ingest + "/q/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());

        Path good = Path.of(System.getProperty("spa.shared.dir", "../../../shared"), "models", "digits_mobilenet.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(good), "skipped: " + good + " is absent (the shared test models live beside the repository)");
        String next = IngestClient.upload(ingest, TEAM_A, HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(good)), "?name=good.onnx");
        assertTrue(awaitFinal(ingest, next).contains("\"ACCEPTED\""), "the good model after them is accepted");
    }

    /** The job's status once ingest has decided on it (ACCEPTED or FAILED). */
    private static String awaitFinal(String ingest, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = IngestClient.status(ingest, TEAM_A, jobId);
            last = r.body();
            if (r.statusCode() == 200 && (last.contains("\"ACCEPTED\"") || last.contains("\"FAILED\""))) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + jobId + " not decided within 60 s: " + last);
    }
}
