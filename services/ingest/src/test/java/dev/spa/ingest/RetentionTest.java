package dev.spa.ingest;

import dev.spa.events.JobStatus;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;
import dev.spa.platform.Topics;
import dev.spa.testkit.IngestClient;
import dev.spa.testkit.RealServersResource;
import dev.spa.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retention policy on a real S3 server: what goes after its time, and what never goes. */
@QuarkusTest
@QuarkusTestResource(value = RealServersResource.class, restrictToAnnotatedClass = true)
class RetentionTest {
    private static final String TEAM_A = "team-a-test-token-0001";

    @TestHTTPResource("/")
    URL base;

    @Inject
    RetentionSweeper sweeper;

    @Inject
    StatusView statuses;

    @Test
    void leftoverUploadsAndFailedJobsGoAfterTheirTimeDoneResultsStayAndTheReasonIsStillAnswered() throws Exception {
        ObjectStore store = ObjectStore.connect(RealServersResource.s3.endpoint(), RealServersResource.s3.accessKey(), RealServersResource.s3.secretKey());
        String ingest = base.toString().replaceAll("/$", "");
        String failed = IngestClient.upload(ingest, TEAM_A, HttpRequest.BodyPublishers.ofByteArray("not onnx".getBytes(StandardCharsets.UTF_8)), "?name=bad.onnx");
        // what a failed job leaves in the stages: its model copy and accepted record, a stage's attempt counter
        store.put(new S3Uri("spa", "jobs/" + failed + "/model.onnx"), new byte[]{1}, "application/octet-stream");
        store.put(new S3Uri("spa", "jobs/" + failed + "/accepted.pb"), new byte[]{1}, "application/octet-stream");
        store.put(new S3Uri("spa", "attempts/grouping/" + failed), "1".getBytes(StandardCharsets.UTF_8), "text/plain");
        // a done job's results and its counter, and an upload a crash left behind
        store.put(new S3Uri("spa", "jobs/ret-done-1/pruned.onnx"), new byte[]{2}, "application/octet-stream");
        store.put(new S3Uri("spa", "attempts/scorer/ret-done-1"), "1".getBytes(StandardCharsets.UTF_8), "text/plain");
        store.put(new S3Uri("spa", "uploads/ret-crashed-1/model.onnx"), new byte[]{3}, "application/octet-stream");
        TopicReader.send(Topics.JOBS_STATUS, "ret-done-1", JobStatus.newBuilder().setJobId("ret-done-1").setState(JobStatus.State.DONE)
                .setUpdatedAtMs(System.currentTimeMillis()).build().toByteArray());
        awaitStatuses(failed, "ret-done-1");

        assertEquals(new RetentionSweeper.Swept(0, 0, 0), sweeper.sweep(Instant.now()), "nothing is past its time yet");
        assertEquals(new RetentionSweeper.Swept(1, 0, 0), sweeper.sweep(Instant.now().plus(Duration.ofHours(25))),
                "after a day only the leftover upload goes");
        assertEquals(new RetentionSweeper.Swept(0, 2, 2), sweeper.sweep(Instant.now().plus(Duration.ofDays(8))));

        assertEquals(List.of(), store.list(new S3Uri("spa", "jobs/" + failed + "/")));
        assertEquals(List.of(), store.list(new S3Uri("spa", "attempts/")));
        assertTrue(store.exists(new S3Uri("spa", "jobs/ret-done-1/pruned.onnx")), "a done job's result is never removed");
        HttpResponse<String> status = IngestClient.status(ingest, TEAM_A, failed);
        assertEquals(200, status.statusCode(), "the tenant still reads its failed job");
        assertTrue(status.body().contains("INVALID_MODEL"), status.body());
        assertFalse(store.list(new S3Uri("spa", "owners/" + failed)).isEmpty(), "the owner record stays with the status");
    }

    private void awaitStatuses(String... jobs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String job : jobs) {
            while (statuses.get(job).filter(s -> s.getState() == JobStatus.State.FAILED || s.getState() == JobStatus.State.DONE).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "no final status for " + job);
                Thread.sleep(200);
            }
        }
    }
}
