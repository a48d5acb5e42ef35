package dev.spa.platform;

import dev.spa.events.JobFailed;
import dev.spa.events.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.util.concurrent.CompletionStage;

/** The events every stage publishes about a job: its status (compacted topic) and its failure. */
@ApplicationScoped
public class JobEvents {
    @Inject
    @Channel("failed")
    Emitter<byte[]> failed;

    @Inject
    @Channel("status-out")
    Emitter<byte[]> status;

    public CompletionStage<Void> failed(JobFailed event) {
        return EventSender.send(failed, event.getJobId(), event);
    }

    public CompletionStage<Void> status(JobRef job, JobStatus.State state, String stage, String detail) {
        return status(job, state, stage, detail, "");
    }

    public CompletionStage<Void> status(JobRef job, JobStatus.State state, String stage, String detail, String prunedModelUri) {
        JobStatus s = JobStatus.newBuilder().setJobId(job.jobId()).setState(state).setStage(stage).setDetail(detail)
                .setUpdatedAtMs(System.currentTimeMillis()).setBatchId(job.batchId()).setModelUri(job.modelUri())
                .setPrunedModelUri(prunedModelUri).build();
        return EventSender.send(status, job.jobId(), s);
    }
}
