package dev.spa.ingest;

import dev.spa.events.JobAccepted;
import dev.spa.events.JobStatus;
import dev.spa.events.ModelRegistered;
import dev.spa.platform.JobRef;
import dev.spa.platform.JobStage;
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
        super("ingest", "ModelRegistered", ModelRegistered::parseFrom, r -> new JobRef(r.getJobId(), r.getBatchId(), r.getModelUri()));
    }

    @Inject
    ModelValidator validator;

    @Inject
    Publisher publisher;

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
        JobAccepted accepted = validator.validate(event);
        metrics.summary("spa_model_bytes", "stage", name(), "model", "original").record(accepted.getModelBytes());
        return publisher.accepted(accepted).thenCompose(v -> events.status(JobRef.of(accepted), JobStatus.State.ACCEPTED, name(),
                "accepted: " + accepted.getNodes() + " nodes, " + accepted.getRequest().getCriterion() + " to "
                        + accepted.getRequest().getTarget()));
    }
}
