package dev.spa.platform;

import dev.spa.events.JobAccepted;
import dev.spa.events.PruningRequest;

/**
 * What every event about a job repeats: its id, its batch (or empty), the model it is about, and
 * the time limit its request asked each stage to keep (0: the configured one).
 */
public record JobRef(String jobId, String batchId, String modelUri, int deadlineSeconds) {
    public JobRef(String jobId, String batchId, String modelUri) {
        this(jobId, batchId, modelUri, 0);
    }

    public static JobRef of(JobAccepted job) {
        return of(job.getJobId(), job.getBatchId(), job.getModelUri(), job.getRequest());
    }

    public static JobRef of(String jobId, String batchId, String modelUri, PruningRequest request) {
        return new JobRef(jobId, batchId, modelUri, (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(request.getDeadlineSeconds())));
    }
}
