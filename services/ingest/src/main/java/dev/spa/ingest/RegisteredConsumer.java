package dev.spa.ingest;

import dev.spa.events.JobAccepted;
import dev.spa.events.JobStatus;
import dev.spa.events.ModelRegistered;
import dev.spa.platform.AcceptedJobs;
import dev.spa.platform.JobRef;
import dev.spa.platform.JobRejected;
import dev.spa.platform.JobStage;
import dev.spa.platform.S3Uri;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * spa.models.registered: validates each model and publishes JobAccepted. A registration delivered
 * again for a job already accepted (or ended) is acknowledged without redoing it.
 */
@ApplicationScoped
public class RegisteredConsumer extends JobStage<ModelRegistered> {
    public RegisteredConsumer() {
        super("ingest", "ModelRegistered", ModelRegistered::parseFrom, r -> JobRef.of(r.getJobId(), r.getBatchId(), r.getModelUri(), r.getRequest()),
                r -> null);
    }

    @Inject
    ModelValidator validator;

    @Inject
    Publisher publisher;

    @Inject
    AcceptedJobs acceptedJobs;

    @Inject
    StatusView statuses;

    @Inject
    MeterRegistry metrics;

    @Incoming("registered")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return run(message);
    }

    @Override
    public CompletionStage<Void> process(ModelRegistered event) {
        if (statuses.pastRegistration(event.getJobId())) {
            metrics.counter("spa_duplicates_total", "stage", name()).increment();
            return CompletableFuture.completedFuture(null);
        }
        JobAccepted accepted;
        try {
            accepted = validator.validate(event);
        } catch (JobRejected e) {
            removeUpload(event);
            throw e;
        }
        acceptedJobs.record(accepted);
        metrics.summary("spa_model_bytes", "stage", name(), "model", "original").record(accepted.getModelBytes());
        return publisher.accepted(accepted).thenCompose(v -> events.status(JobRef.of(accepted), JobStatus.State.ACCEPTED, name(),
                "accepted: " + accepted.getNodes() + " nodes, " + accepted.getRequest().getCriterion() + " to "
                        + accepted.getRequest().getTarget())).thenRun(() -> removeUpload(event));
    }

    /**
     * An uploaded model is needed only until ingest has copied it to the job (or refused it): then it goes,
     * so uploads do not pile up. Models a registry or producer names are theirs and stay.
     */
    private void removeUpload(ModelRegistered event) {
        if (event.getModelUri().startsWith("s3://" + setup.bucket() + "/uploads/" + event.getJobId() + "/")) {
            store.delete(S3Uri.parse(event.getModelUri()));
        }
    }
}
