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
        ObjectStore store = ObjectStore.connect(endpoint, accessKey, secretKey);
        store.ensureBucket(bucket);
        return store;
    }

    /** Connects at start-up, so a wrong endpoint or credential stops the service with the reason, not its first job. */
    void onStart(@Observes StartupEvent event, ObjectStore store) {
        store.exists(new S3Uri(bucket, "jobs/"));
    }

    /** The platform's bucket: jobs/, uploads/ and batches/ live there. */
    public String bucket() {
        return bucket;
    }

    public JobKeys keys(String jobId) {
        return new JobKeys(bucket, jobId);
    }
}
