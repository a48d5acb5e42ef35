package dev.spa.ingest;

import dev.spa.events.JobStatus;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;
import dev.spa.platform.StoreSetup;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The bucket's retention policy, applied by ingest on a schedule since not every S3 server has lifecycle rules
 * (S3Proxy has none): uploads left behind (a crash between storing and accepting) go after
 * {@code spa.retention.uploads} (24 h); a failed job's objects (its model copy, manifest, accepted record)
 * after {@code spa.retention.failed-jobs} (7 days), its status and reason staying on the status topic and its
 * owner record staying, so its tenant still reads why it failed; any finished job's attempt counters go with
 * them. A done job's results are the product and are never removed.
 */
@ApplicationScoped
public class RetentionSweeper {
    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    @ConfigProperty(name = "spa.retention.uploads", defaultValue = "24h")
    Duration uploads;

    @ConfigProperty(name = "spa.retention.failed-jobs", defaultValue = "7d")
    Duration failedJobs;

    @ConfigProperty(name = "spa.retention.sweep-every", defaultValue = "1h")
    Duration every;

    @Inject
    ObjectStore store;

    @Inject
    StoreSetup setup;

    @Inject
    StatusView statuses;

    private ScheduledExecutorService timer;

    /** How many objects one sweep removed, by kind. */
    public record Swept(int uploads, int jobObjects, int attempts) {
    }

    void onStart(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "spa-retention"));
        timer.scheduleWithFixedDelay(this::sweepNow, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void sweepNow() {
        try {
            Swept swept = sweep(Instant.now());
            if (swept.uploads() + swept.jobObjects() + swept.attempts() > 0) {
                LOG.infof("retention: removed %d leftover uploads, %d objects of failed jobs, %d attempt counters",
                        swept.uploads(), swept.jobObjects(), swept.attempts());
            }
        } catch (RuntimeException e) {
            // the next sweep tries again; a failed sweep must never stop the schedule
            LOG.warnf("retention sweep failed: %s", e.getMessage());
        }
    }

    /** Removes what is past its retention at {@code now}. */
    public Swept sweep(Instant now) {
        int leftUploads = removeOlderThan(new S3Uri(setup.bucket(), "uploads/"), now.minus(uploads));
        Set<String> finished = new HashSet<>();
        int jobObjects = 0;
        for (JobStatus s : statuses.all()) {
            boolean old = Instant.ofEpochMilli(s.getUpdatedAtMs()).isBefore(now.minus(failedJobs));
            if (old && (s.getState() == JobStatus.State.FAILED || s.getState() == JobStatus.State.DONE)) {
                finished.add(s.getJobId());
                if (s.getState() == JobStatus.State.FAILED) {
                    jobObjects += removeOlderThan(new S3Uri(setup.bucket(), "jobs/" + setup.keys(s.getJobId()).jobId() + "/"), now);
                }
            }
        }
        int attempts = 0;
        for (ObjectStore.Listed counter : store.listModified(new S3Uri(setup.bucket(), "attempts/"))) {
            String key = counter.uri().key();
            if (finished.contains(key.substring(key.lastIndexOf('/') + 1))) {
                store.delete(counter.uri());
                attempts++;
            }
        }
        return new Swept(leftUploads, jobObjects, attempts);
    }

    private int removeOlderThan(S3Uri prefix, Instant cutoff) {
        int removed = 0;
        for (ObjectStore.Listed object : store.listModified(prefix)) {
            if (object.modified().isBefore(cutoff)) {
                store.delete(object.uri());
                removed++;
            }
        }
        return removed;
    }
}
