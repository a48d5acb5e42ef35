package dev.spa.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.spa.events.BatchCompleted;
import dev.spa.events.BatchJobResult;
import dev.spa.events.BatchPlan;
import dev.spa.events.JobFailed;
import dev.spa.events.ModelPruned;
import dev.spa.platform.EventSender;
import dev.spa.platform.JobKeys;
import dev.spa.platform.ObjectNotFoundException;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;
import dev.spa.platform.StoreSetup;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Follows how the jobs of each batch end (spa.models.pruned, spa.jobs.failed): each outcome is stored
 * at {@code batches/<id>/results/<job>.pb}; when every job of the batch has one, the batch report is
 * written and BatchCompleted published. The state lives in the object store, so any instance, or
 * one restarted, goes on where another stopped.
 */
@ApplicationScoped
public class BatchTracker {
    private static final Logger LOG = Logger.getLogger(BatchTracker.class);

    @Inject
    ObjectStore store;

    @Inject
    StoreSetup setup;

    @Inject
    @Channel("batches-completed")
    Emitter<byte[]> completed;

    @Incoming("batch-pruned")
    @Blocking
    public CompletionStage<Void> pruned(byte[] payload) throws InvalidProtocolBufferException {
        ModelPruned event = ModelPruned.parseFrom(payload);
        return record(event.getBatchId(), event.getJobId(), BatchJobResult.newBuilder().setPruned(event).build());
    }

    @Incoming("batch-failed")
    @Blocking
    public CompletionStage<Void> failed(byte[] payload) throws InvalidProtocolBufferException {
        JobFailed event = JobFailed.parseFrom(payload);
        return record(event.getBatchId(), event.getJobId(), BatchJobResult.newBuilder().setFailed(event).build());
    }

    /** Serialised within the instance, so the last two results of a batch cannot both complete it. */
    private synchronized CompletionStage<Void> record(String batchId, String jobId, BatchJobResult result) {
        if (batchId.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        BatchPlan plan;
        try {
            plan = BatchPlan.parseFrom(store.get(JobKeys.batch(setup.bucket(), batchId, "batch.pb")));
        } catch (ObjectNotFoundException | InvalidProtocolBufferException e) {
            LOG.warnf("job %s names batch %s, which has no readable plan: %s", jobId, batchId, e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        store.put(JobKeys.batch(setup.bucket(), batchId, "results/" + jobId + ".pb"), result.toByteArray(), "application/x-protobuf");
        List<BatchJobResult> results = new ArrayList<>();
        for (S3Uri uri : store.list(JobKeys.batch(setup.bucket(), batchId, "results/"))) {
            try {
                results.add(BatchJobResult.parseFrom(store.get(uri)));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(uri + " is not a BatchJobResult", e);
            }
        }
        if (results.size() < plan.getJobsCount()) {
            return CompletableFuture.completedFuture(null);
        }
        S3Uri report = JobKeys.batch(setup.bucket(), batchId, "report.json");
        store.put(report, BatchReport.json(plan, results), "application/json");
        long succeeded = results.stream().filter(BatchJobResult::hasPruned).count();
        BatchCompleted done = BatchCompleted.newBuilder().setBatchId(batchId).setReportUri(report.toString())
                .setJobs(results.size()).setSucceeded((int) succeeded).setFailed((int) (results.size() - succeeded)).build();
        LOG.infof("batch %s completed: %d jobs, %d pruned, report at %s", batchId, results.size(), succeeded, report);
        return EventSender.send(completed, batchId, done);
    }
}
