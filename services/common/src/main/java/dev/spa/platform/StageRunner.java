package dev.spa.platform;

import dev.spa.events.JobFailed;
import dev.spa.events.JobStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs a stage on one Kafka message with the platform's delivery rules: the input is acknowledged
 * (its offset committed) only after the outputs are written; a job that cannot go on gets a
 * JobFailed with the reason and a FAILED status; a message that cannot be processed at all goes to
 * the stage's dead-letter topic with the reason; a message in hand when the service is stopping is
 * neither acknowledged nor failed, so it is delivered again after the restart.
 */
@ApplicationScoped
public class StageRunner {
    private static final Logger LOG = Logger.getLogger(StageRunner.class);

    @Inject
    JobEvents events;

    @Inject
    MeterRegistry metrics;

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    public <I> CompletionStage<Void> run(Stage<I> stage, Message<byte[]> message) {
        I input;
        try {
            input = stage.parse(message.getPayload());
        } catch (Exception e) {
            count(stage, "dead-lettered", "UNPARSEABLE");
            return message.nack(new IllegalArgumentException("not a " + stage.inputName() + " protobuf: " + e.getMessage()));
        }
        JobRef job = stage.job(input);
        if (job.jobId().isEmpty()) {
            count(stage, "dead-lettered", "NO_JOB_ID");
            return message.nack(new IllegalArgumentException(stage.inputName() + " for '" + job.modelUri() + "' has no job id"));
        }
        count(stage, "in", "");
        Timer.Sample started = Timer.start(metrics);
        try {
            return stage.process(input).thenCompose(v -> {
                started.stop(Timer.builder("spa_stage_duration").description("time a stage spends on one job")
                        .tag("stage", stage.name()).publishPercentileHistogram().register(metrics));
                count(stage, "done", "");
                return message.ack();
            });
        } catch (JobRejected e) {
            LOG.infof("job %s failed at %s: %s %s", job.jobId(), stage.name(), e.code(), e.getMessage());
            return fail(stage, job, e.code(), e.getMessage(), message, e.badMessage() ? e : null);
        } catch (RuntimeException | OutOfMemoryError e) {
            if (stopping) {
                LOG.infof("stopping: job %s is left unacknowledged at %s and will be delivered again", job.jobId(), stage.name());
                return CompletableFuture.completedFuture(null);
            }
            LOG.errorf(e, "job %s failed at %s", job.jobId(), stage.name());
            String code = e instanceof OutOfMemoryError ? "OUT_OF_MEMORY" : "INTERNAL";
            String reason = e instanceof OutOfMemoryError ? "the " + stage.name() + " ran out of memory (" + e.getMessage()
                    + "): give it a larger heap" : e.getClass().getSimpleName() + ": " + e.getMessage();
            return fail(stage, job, code, reason, message, e);
        }
    }

    private <I> CompletionStage<Void> fail(Stage<I> stage, JobRef job, String code, String reason, Message<byte[]> message,
                                           Throwable deadLetter) {
        count(stage, "failed", code);
        JobFailed failed = JobFailed.newBuilder().setJobId(job.jobId()).setStage(stage.name()).setErrorCode(code)
                .setMessage(reason).setBatchId(job.batchId()).setModelUri(job.modelUri()).build();
        return events.failed(failed)
                .thenCompose(v -> events.status(job, JobStatus.State.FAILED, stage.name(), code + ": " + reason))
                .thenCompose(v -> deadLetter == null ? message.ack() : message.nack(deadLetter));
    }

    private void count(Stage<?> stage, String outcome, String reason) {
        metrics.counter("spa_jobs_total", "stage", stage.name(), "outcome", outcome, "reason", reason).increment();
    }
}
