package dev.spa.local;

import com.google.protobuf.util.JsonFormat;
import dev.spa.events.JobStatus;
import dev.spa.testkit.IngestClient;

import java.net.http.HttpResponse;
import java.time.Duration;

/** A job's status as a user reads it from ingest's REST API, and waiting for a state. */
final class JobStatuses {
    private JobStatuses() {
    }

    /** The job's status, or the default (empty) one while ingest does not know it. */
    static JobStatus status(LocalStack stack, String jobId) throws Exception {
        HttpResponse<String> r = IngestClient.status(stack.url("ingest"), stack.apiToken(), jobId);
        JobStatus.Builder s = JobStatus.newBuilder();
        if (r.statusCode() == 200) {
            JsonFormat.parser().merge(r.body(), s);
        }
        return s.build();
    }

    static JobStatus awaitState(LocalStack stack, String jobId, JobStatus.State state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus last = JobStatus.getDefaultInstance();
        while (System.nanoTime() < deadline) {
            last = status(stack, jobId);
            if (last.getState() == state) {
                return last;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("job " + jobId + " never reached " + state + "; last: " + last);
    }
}
