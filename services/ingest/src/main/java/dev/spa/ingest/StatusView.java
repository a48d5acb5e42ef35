package dev.spa.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.spa.events.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest status of every job, read from the compacted spa.jobs.status topic from its start. */
@ApplicationScoped
public class StatusView {
    private static final Logger LOG = Logger.getLogger(StatusView.class);
    private final Map<String, JobStatus> latest = new ConcurrentHashMap<>();

    @Incoming("status")
    public void consume(byte[] payload) {
        try {
            JobStatus s = JobStatus.parseFrom(payload);
            latest.merge(s.getJobId(), s, (old, now) -> now.getUpdatedAtMs() >= old.getUpdatedAtMs() ? now : old);
        } catch (InvalidProtocolBufferException e) {
            LOG.warnf("skipping a status record that is not a JobStatus: %s", e.getMessage());
        }
    }

    /** Whether the job got past registration (accepted, or further, or failed): a redelivered registration is a duplicate. */
    public boolean pastRegistration(String jobId) {
        JobStatus s = latest.get(jobId);
        return s != null && s.getState().getNumber() > JobStatus.State.REGISTERED_VALUE;
    }

    /** Every job's latest status (a snapshot, safe to iterate while statuses arrive). */
    public Collection<JobStatus> all() {
        return List.copyOf(latest.values());
    }

    public Optional<JobStatus> get(String jobId) {
        return Optional.ofNullable(latest.get(jobId));
    }
}
