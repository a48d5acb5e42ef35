package dev.spa.platform;

import jakarta.enterprise.context.ApplicationScoped;
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

    /** The platform's bucket: jobs/, uploads/ and batches/ live there. */
    public String bucket() {
        return bucket;
    }

    public JobKeys keys(String jobId) {
        return new JobKeys(bucket, jobId);
    }
}
