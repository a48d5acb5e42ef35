package dev.spa.platform;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.spa.events.JobAccepted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The jobs ingest accepted, each kept at {@code jobs/<id>/accepted.pb}. Ingest is the only service
 * that mints jobs; every later stage compares the JobAccepted its input carries with the kept one,
 * so an event that anyone else wrote to a topic (a job never accepted, or an accepted job with
 * another model, request or bucket) is refused instead of acted on.
 */
@ApplicationScoped
public class AcceptedJobs {
    @Inject
    ObjectStore store;

    @Inject
    StoreSetup setup;

    public void record(JobAccepted job) {
        record(store, setup.bucket(), job);
    }

    /** Keeps the job as accepted in the platform's bucket (ingest does it; stage tests stand in for ingest). */
    public static JobAccepted record(ObjectStore store, String bucket, JobAccepted job) {
        store.put(new JobKeys(bucket, job.getJobId()).accepted(), job.toByteArray(), "application/x-protobuf");
        return job;
    }

    /** Whether the job has finished: its report is written, so its artefacts are never written again. */
    public boolean finished(JobAccepted job) {
        return store.exists(setup.keys(job.getJobId()).report());
    }

    /** Throws {@link MessageRefused} unless ingest accepted exactly this job. */
    public void verify(JobAccepted job) {
        S3Uri kept = setup.keys(job.getJobId()).accepted();
        JobAccepted accepted;
        try {
            accepted = JobAccepted.parseFrom(store.get(kept));
        } catch (ObjectNotFoundException e) {
            throw new MessageRefused("ingest never accepted a job '" + job.getJobId() + "' (nothing at " + kept + "): the event is refused");
        } catch (InvalidProtocolBufferException e) {
            throw new MessageRefused("the record of job '" + job.getJobId() + "' at " + kept + " is unreadable: the event is refused");
        }
        if (!accepted.equals(job)) {
            throw new MessageRefused("the event's job '" + job.getJobId() + "' differs from the one ingest accepted (" + kept
                    + "): the event is refused");
        }
    }
}
