package dev.spa.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.spa.events.JobAccepted;
import dev.spa.events.JobFailed;
import dev.spa.events.JobStatus;
import dev.spa.events.ModelRegistered;
import dev.spa.platform.JobRejected;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * spa.models.registered: validates each model and publishes JobAccepted, or JobFailed with the
 * reason. A message that cannot be processed at all (not protobuf, a bad address, a missing object)
 * is also handed to the dead-letter topic with the reason. The input is acknowledged only after
 * the outputs are on the broker.
 */
@ApplicationScoped
public class RegisteredConsumer {
    private static final Logger LOG = Logger.getLogger(RegisteredConsumer.class);

    @Inject
    ModelValidator validator;

    @Inject
    Publisher publisher;

    @Inject
    MeterRegistry metrics;

    @Incoming("registered")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        ModelRegistered event;
        try {
            event = ModelRegistered.parseFrom(message.getPayload());
        } catch (InvalidProtocolBufferException e) {
            count("failed", "UNPARSEABLE");
            return message.nack(new IllegalArgumentException("not a ModelRegistered protobuf: " + e.getMessage()));
        }
        if (event.getJobId().isEmpty()) {
            count("failed", "NO_JOB_ID");
            return message.nack(new IllegalArgumentException("ModelRegistered for " + event.getModelUri() + " has no job id"));
        }
        count("in", "");
        long t0 = System.nanoTime();
        try {
            JobAccepted accepted = validator.validate(event);
            metrics.timer("spa_stage_duration", "stage", "ingest").record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
            metrics.summary("spa_model_bytes", "stage", "ingest").record(accepted.getModelBytes());
            return publisher.accepted(event.getJobId(), accepted)
                    .thenCompose(v -> publisher.status(status(event, JobStatus.State.ACCEPTED, "accepted: " + accepted.getNodes() + " nodes")))
                    .thenCompose(v -> message.ack());
        } catch (JobRejected e) {
            count("failed", e.code());
            LOG.infof("job %s rejected: %s %s", event.getJobId(), e.code(), e.getMessage());
            JobFailed failed = JobFailed.newBuilder().setJobId(event.getJobId()).setStage("ingest").setErrorCode(e.code())
                    .setMessage(e.getMessage()).setBatchId(event.getBatchId()).setModelUri(event.getModelUri()).build();
            CompletionStage<Void> reported = publisher.failed(failed)
                    .thenCompose(v -> publisher.status(status(event, JobStatus.State.FAILED, e.code() + ": " + e.getMessage())));
            return reported.thenCompose(v -> e.badMessage() ? message.nack(e) : message.ack());
        } catch (RuntimeException e) {
            // anything else (the object store down after its retries): let the message be retried or dead-lettered
            count("failed", "INTERNAL");
            return message.nack(e);
        }
    }

    private void count(String outcome, String reason) {
        metrics.counter("spa_jobs_total", "stage", "ingest", "outcome", outcome, "reason", reason).increment();
    }

    private static JobStatus status(ModelRegistered event, JobStatus.State state, String detail) {
        return JobStatus.newBuilder().setJobId(event.getJobId()).setState(state).setStage("ingest").setDetail(detail)
                .setUpdatedAtMs(System.currentTimeMillis()).setBatchId(event.getBatchId()).setModelUri(event.getModelUri()).build();
    }
}
