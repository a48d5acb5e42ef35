package dev.spa.platform;

import dev.spa.events.JobAccepted;

/** What every event about a job repeats: its id, its batch (or empty) and the model it is about. */
public record JobRef(String jobId, String batchId, String modelUri) {
    public static JobRef of(JobAccepted job) {
        return new JobRef(job.getJobId(), job.getBatchId(), job.getModelUri());
    }
}
