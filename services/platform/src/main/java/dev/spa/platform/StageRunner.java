package dev.spa.platform;

import dev.spa.SpaException;
import dev.spa.events.JobAccepted;
import dev.spa.events.JobFailed;
import dev.spa.events.JobStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a stage on one Kafka message with the platform's delivery rules: the input is acknowledged
 * (its offset committed) only after the outputs are written; a job that cannot go on gets a
 * JobFailed with the reason and a FAILED status; a message that cannot be processed at all goes to
 * the stage's dead-letter topic with the reason; a message in hand when the service is stopping is
 * neither acknowledged nor failed, so it is delivered again after the restart.
 *
 * <p>An input that continues a job ingest never accepted (or another version of one) is refused: it goes to
 * the dead-letter topic and the job it names is left as it was. An input for a job that has finished is
 * acknowledged without writing anything: a finished job's artefacts are written once.
 *
 * <p>No job holds a stage for ever: the work runs on its own thread under a deadline (the
 * configured {@code spa.stage.deadline}, or less where the request asks), and a job past it fails
 * with DEADLINE_EXCEEDED while its thread is interrupted (the engine's loops stop at the next
 * check). A job the stage has started {@code spa.stage.max-attempts} times without finishing (it
 * killed or hung the service each time) fails with ATTEMPTS_EXHAUSTED and goes to the dead-letter
 * topic instead of being processed again.
 */
@ApplicationScoped
public class StageRunner {
    private static final Logger LOG = Logger.getLogger(StageRunner.class);

    @Inject
    JobEvents events;

    @Inject
    MeterRegistry metrics;

    @Inject
    StageAttempts attempts;

    @Inject
    AcceptedJobs acceptedJobs;

    @ConfigProperty(name = "spa.stage.deadline", defaultValue = "30m")
    Duration deadline;

    /** Cores the stage's jobs share ({@link Stage#cores}); 0 means the machine's. */
    @ConfigProperty(name = "spa.stage.cores", defaultValue = "0")
    int configuredCores;

    private Shares slots;

    @PostConstruct
    void init() {
        slots = new Shares(configuredCores > 0 ? configuredCores : Runtime.getRuntime().availableProcessors());
    }

    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "spa-job");
        t.setDaemon(true);
        return t;
    });

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
        if (!JobKeys.isValidId(job.jobId())) {
            count(stage, "dead-lettered", "BAD_JOB_ID");
            return message.nack(new IllegalArgumentException(stage.inputName() + " for '" + job.modelUri() + "' has no valid job id ('"
                    + job.jobId() + "': " + JobKeys.ID_RULE + ")"));
        }
        try {
            return admitted(stage, input, job, message);
        } catch (RuntimeException e) {
            // what failed before the job's own work (the store, reading whether ingest accepted it or recording its start)
            // ends the job with the reason: thrown from here it stopped the channel's consumer (the 72 jobs/min load test
            // on 2026-12-06), and the job, and every one after it, never ended
            return failed(stage, job, e, message);
        }
    }

    /** A job that may go on: refused, skipped, or run once it has its cores. */
    private <I> CompletionStage<Void> admitted(Stage<I> stage, I input, JobRef job, Message<byte[]> message) {
        CompletionStage<Void> refusedOrFinished = refuseOrSkip(stage, input, job, message);
        if (refusedOrFinished != null) {
            return refusedOrFinished;
        }
        Shares.Held cores;
        try {
            cores = slots.acquire(stage.cores(input));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return leftForRedelivery(stage, job);
        }
        if (stopping) { // it waited for cores while the service began to stop: the next instance takes it
            cores.close();
            return leftForRedelivery(stage, job);
        }
        try {
            return started(stage, input, job, message).whenComplete((v, e) -> cores.close());
        } catch (RuntimeException | Error e) {
            cores.close();
            throw e;
        }
    }

    /** A job with its cores: counted as an attempt, then run under its deadline. */
    private <I> CompletionStage<Void> started(Stage<I> stage, I input, JobRef job, Message<byte[]> message) {
        int attempt;
        try {
            attempt = attempts.start(stage.name(), job.jobId());
        } catch (SpaException e) { // the store failed past its retries: the job ends with the reason instead of a dead letter nobody reads
            LOG.errorf(e, "job %s: could not record its start at %s", job.jobId(), stage.name());
            return fail(stage, job, "STORE_UNAVAILABLE", "the object store failed while the " + stage.name() + " recorded the job's start ("
                    + e.getMessage() + ")", message, null);
        }
        if (attempt > attempts.max()) {
            String reason = "the " + stage.name() + " started this job " + (attempt - 1) + " times and never finished it (the service"
                    + " stopped or died each time); it is not tried again";
            LOG.warnf("job %s: %s", job.jobId(), reason);
            return fail(stage, job, "ATTEMPTS_EXHAUSTED", reason, message, new IllegalStateException(reason));
        }
        count(stage, "in", "");
        return underDeadline(stage, input, job, message);
    }

    /**
     * An input for a job ingest never accepted (or another version of one) is dead-lettered; one for a finished job is
     * acknowledged after the stage's {@link Stage#alreadyFinished}; null when the job may go on.
     */
    private <I> CompletionStage<Void> refuseOrSkip(Stage<I> stage, I input, JobRef job, Message<byte[]> message) {
        JobAccepted claimed = stage.accepted(input);
        if (claimed == null) {
            return null;
        }
        try {
            acceptedJobs.verify(claimed);
            if (acceptedJobs.finished(claimed)) {
                LOG.infof("job %s has finished already: the %s at %s writes nothing", job.jobId(), stage.inputName(), stage.name());
                metrics.counter("spa_duplicates_total", "stage", stage.name()).increment();
                return stage.alreadyFinished(input).thenCompose(v -> message.ack());
            }
            return null;
        } catch (MessageRefused e) {
            LOG.warnf("refused a %s for job %s at %s: %s", stage.inputName(), job.jobId(), stage.name(), e.getMessage());
            count(stage, "dead-lettered", "REFUSED");
            return message.nack(e);
        }
    }

    /** The stage's work on a thread of its own, given up (and interrupted) at the job's deadline. */
    private <I> CompletionStage<Void> underDeadline(Stage<I> stage, I input, JobRef job, Message<byte[]> message) {
        Duration limit = limit(job);
        Timer.Sample started = Timer.start(metrics);
        Future<CompletionStage<Void>> work = workers.submit(() -> {
            long start = System.nanoTime();
            try {
                return stage.process(input);
            } finally {
                if (Thread.interrupted()) {
                    LOG.infof("job %s: the %s's abandoned work stopped after %d s", job.jobId(), stage.name(),
                            (System.nanoTime() - start) / 1_000_000_000L);
                }
            }
        });
        CompletionStage<Void> written;
        try {
            written = work.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            work.cancel(true);
            LOG.warnf("job %s passed its deadline of %d s at %s; its work is interrupted", job.jobId(), limit.toSeconds(), stage.name());
            return fail(stage, job, "DEADLINE_EXCEEDED", "the " + stage.name() + " did not finish within the job's deadline of "
                    + limit.toSeconds() + " s (spa.stage.deadline, or the request's deadline_seconds)", message, null);
        } catch (InterruptedException e) {
            work.cancel(true);
            Thread.currentThread().interrupt();
            return leftForRedelivery(stage, job);
        } catch (ExecutionException e) {
            return failed(stage, job, e.getCause(), message);
        }
        return written.thenCompose(v -> {
            started.stop(Timer.builder("spa_stage_duration").description("time a stage spends on one job")
                    .tag("stage", stage.name()).publishPercentileHistogram().register(metrics));
            count(stage, "done", "");
            forgetAttempts(stage, job);
            return message.ack();
        });
    }

    /** The configured deadline, or the request's own where it is shorter. */
    private Duration limit(JobRef job) {
        Duration asked = Duration.ofSeconds(job.deadlineSeconds());
        return job.deadlineSeconds() > 0 && asked.compareTo(deadline) < 0 ? asked : deadline;
    }

    private <I> CompletionStage<Void> failed(Stage<I> stage, JobRef job, Throwable e, Message<byte[]> message) {
        if (stopping) {
            // the stop itself can fail the work (ONNX Runtime torn down under a running session reads as a model
            // it rejects): the next instance does the job again and decides, rather than this one failing it
            LOG.infof("job %s stopped at %s while the service stops (%s)", job.jobId(), stage.name(), e.getMessage());
            return leftForRedelivery(stage, job);
        }
        if (e instanceof JobRejected r) {
            LOG.infof("job %s failed at %s: %s %s", job.jobId(), stage.name(), r.code(), r.getMessage());
            return fail(stage, job, r.code(), r.getMessage(), message, r.badMessage() ? r : null);
        }
        LOG.errorf(e, "job %s failed at %s", job.jobId(), stage.name());
        boolean memory = e instanceof OutOfMemoryError;
        String code = memory ? "OUT_OF_MEMORY" : "INTERNAL";
        String reason = memory ? "the " + stage.name() + " ran out of memory (" + e.getMessage() + "): give it a larger heap"
                : "unexpected failure in the " + stage.name() + " (" + e.getMessage() + "): a bug, the service's log has the details";
        return fail(stage, job, code, reason, message, e);
    }

    private CompletionStage<Void> leftForRedelivery(Stage<?> stage, JobRef job) {
        LOG.infof("stopping: job %s is left unacknowledged at %s and will be delivered again", job.jobId(), stage.name());
        return CompletableFuture.completedFuture(null);
    }

    private <I> CompletionStage<Void> fail(Stage<I> stage, JobRef job, String code, String reason, Message<byte[]> message,
                                           Throwable deadLetter) {
        count(stage, "failed", code);
        JobFailed failed = JobFailed.newBuilder().setJobId(job.jobId()).setStage(stage.name()).setErrorCode(code)
                .setMessage(reason).setBatchId(job.batchId()).setModelUri(job.modelUri()).build();
        return events.failed(failed)
                .thenCompose(v -> events.status(job, JobStatus.State.FAILED, stage.name(), code + ": " + reason))
                .thenCompose(v -> {
                    forgetAttempts(stage, job);
                    return deadLetter == null ? message.ack() : message.nack(deadLetter);
                });
    }

    /**
     * The job left the stage for good: its start count may go. A store that fails here leaves the count behind, which
     * costs nothing (a finished job is not delivered again), so the job's end is not held up by it.
     */
    private void forgetAttempts(Stage<?> stage, JobRef job) {
        try {
            attempts.finished(stage.name(), job.jobId());
        } catch (SpaException e) {
            LOG.warnf("job %s: its start count at %s stays in the store (%s)", job.jobId(), stage.name(), e.getMessage());
        }
    }

    private void count(Stage<?> stage, String outcome, String reason) {
        metrics.counter("spa_jobs_total", "stage", stage.name(), "outcome", outcome, "reason", reason).increment();
    }
}
