package dev.spa.platform;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.spa.events.JobAccepted;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One step of the pipeline as {@link StageRunner} drives it: parse the input event, name the job,
 * do the work and publish the outputs. Refusals are {@link JobRejected}s.
 */
public interface Stage<I> {
    /** ingest, grouping, scorer or exporter: the stage label on metrics, statuses and failures. */
    String name();

    /** The protobuf message the stage consumes, for error messages. */
    String inputName();

    I parse(byte[] payload) throws InvalidProtocolBufferException;

    JobRef job(I input);

    /** The accepted job the input claims to continue, checked against ingest's record; null for ingest itself. */
    JobAccepted accepted(I input);

    /**
     * The input continues a job that has already finished (its report is written): a redelivery or a replay.
     * Nothing may be written again; by default nothing is done.
     */
    default CompletionStage<Void> alreadyFinished(I input) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * How many of the stage's cores this job keeps busy ({@link Shares}): by default all of them, so jobs run one
     * after another; a stage whose consumer takes several messages at once says which jobs leave cores idle.
     */
    default int cores(I input) {
        return Integer.MAX_VALUE;
    }

    /** Does the work and returns when its outputs (events and objects) are written. */
    CompletionStage<Void> process(I input);
}
