package dev.spa.ingest;

import dev.spa.platform.ObjectNotFoundException;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;
import dev.spa.platform.StoreSetup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Which tenant a job belongs to, kept at {@code owners/<job-id>} when its model is uploaded. Jobs that
 * came another way (a producer on Kafka, a bucket notification, a batch) have no owner: only an admin
 * token sees them.
 */
@ApplicationScoped
public class JobOwners {
    @Inject
    ObjectStore store;

    @Inject
    StoreSetup setup;

    private S3Uri key(String jobId) {
        return new S3Uri(setup.bucket(), "owners/" + setup.keys(jobId).jobId());
    }

    void record(String jobId, String tenant) {
        store.put(key(jobId), tenant.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    Optional<String> owner(String jobId) {
        try {
            return Optional.of(new String(store.get(key(jobId)), StandardCharsets.UTF_8));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }
}
