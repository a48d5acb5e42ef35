package dev.spa.ingest;

import dev.spa.events.BatchJob;
import dev.spa.events.BatchPlan;
import dev.spa.events.BatchRequested;
import dev.spa.events.ModelRegistered;
import dev.spa.events.PruningRequest;
import dev.spa.platform.JobKeys;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;
import dev.spa.platform.StoreSetup;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * spa.batches.requested: one job per model and policy, with ids {@code <batch>-<model>-<policy>} so
 * a redelivered batch registers the same jobs. The batch's plan is stored first at
 * {@code batches/<id>/batch.pb}, where {@link BatchTracker} finds how many jobs to wait for.
 */
@ApplicationScoped
public class BatchFanOut {
    @Inject
    ObjectStore store;

    @Inject
    StoreSetup setup;

    @Inject
    Publisher publisher;

    @Inject
    SourcePolicy sources;

    @Inject
    MeterRegistry metrics;

    @Incoming("batches")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        BatchPlan plan;
        try {
            plan = plan(BatchRequested.parseFrom(message.getPayload()));
        } catch (Exception e) {
            metrics.counter("spa_batches_total", "outcome", "dead-lettered").increment();
            return message.nack(new IllegalArgumentException("cannot fan out the batch: " + e.getMessage(), e));
        }
        String batchId = plan.getRequest().getBatchId();
        store.put(JobKeys.batch(setup.bucket(), batchId, "batch.pb"), plan.toByteArray(), "application/x-protobuf");
        metrics.counter("spa_batches_total", "outcome", "in").increment();
        List<ModelRegistered> jobs = new ArrayList<>();
        for (BatchJob job : plan.getJobsList()) {
            jobs.add(ModelRegistered.newBuilder().setJobId(job.getJobId()).setModelUri(job.getModelUri())
                    .setRequest(plan.getRequest().getPolicies(job.getPolicy())).setBatchId(batchId)
                    .setRegisteredAtMs(System.currentTimeMillis()).build());
        }
        return publisher.registered(jobs).thenCompose(v -> message.ack());
    }

    private BatchPlan plan(BatchRequested request) {
        if (request.getBatchId().isEmpty()) {
            throw new IllegalArgumentException("the batch has no batch id");
        }
        new JobKeys(setup.bucket(), request.getBatchId());
        BatchRequested.Builder filled = request.toBuilder();
        if (request.getPoliciesCount() == 0) {
            filled.addPolicies(PruningRequest.getDefaultInstance());
        }
        List<String> models = new ArrayList<>(request.getModelUrisList());
        if (!request.getModelPrefix().isEmpty()) {
            sources.check("the batch's model prefix", request.getModelPrefix());
            for (S3Uri uri : store.list(S3Uri.parse(request.getModelPrefix()))) {
                if (uri.key().endsWith(".onnx")) {
                    models.add(uri.toString());
                }
            }
        }
        if (models.isEmpty()) {
            throw new IllegalArgumentException("batch " + request.getBatchId() + " names no model (no model_uris, and no .onnx object under '"
                    + request.getModelPrefix() + "')");
        }
        BatchPlan.Builder plan = BatchPlan.newBuilder().setRequest(filled);
        for (int m = 0; m < models.size(); m++) {
            for (int p = 0; p < filled.getPoliciesCount(); p++) {
                plan.addJobs(BatchJob.newBuilder().setJobId(request.getBatchId() + "-" + m + "-" + p).setModelUri(models.get(m)).setPolicy(p));
            }
        }
        return plan.build();
    }
}
