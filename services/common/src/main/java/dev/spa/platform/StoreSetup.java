package dev.spa.platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The object store every service reads and writes, from configuration (credentials from the environment). */
@ApplicationScoped
public class StoreSetup {
    @ConfigProperty(name = "spa.s3.endpoint")
    String endpoint;

    @ConfigProperty(name = "spa.s3.access-key")
    String accessKey;

    @ConfigProperty(name = "spa.s3.secret-key")
    String secretKey;

    @ConfigProperty(name = "spa.bucket", defaultValue = "spa")
    String bucket;

    @Produces
    @Singleton
    ObjectStore objectStore() {
        return ObjectStore.connect(endpoint, accessKey, secretKey);
    }

    /**
     * Makes sure of the bucket at start-up: one call that also shows a wrong endpoint or credential
     * by stopping the service with the reason, not by failing its first job.
     */
    void onStart(@Observes StartupEvent event, ObjectStore store) {
        store.ensureBucket(bucket);
    }

    /** The platform's bucket: jobs/, uploads/ and batches/ live there. */
    public String bucket() {
        return bucket;
    }

    public JobKeys keys(String jobId) {
        return new JobKeys(bucket, jobId);
    }
}
