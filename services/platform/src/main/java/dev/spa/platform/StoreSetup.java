package dev.spa.platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Set;
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
        requireRealSecret(secretKey);
        store.ensureBucket(bucket);
    }

    /** A missing secret, or one of the placeholders that samples ship with, stops the service before it serves anything. */
    static void requireRealSecret(String secret) {
        String s = secret == null ? "" : secret.trim().toLowerCase(Locale.ROOT);
        if (s.length() < 12 || s.contains("change-me") || s.contains("changeme") || s.contains("not-for-production")
                || Set.of("minioadmin", "password123", "secretsecret").contains(s)) {
            throw new IllegalStateException("spa.s3.secret-key (SPA_S3_SECRET_KEY) is " + (s.isEmpty() ? "not set" : "a placeholder or shorter"
                    + " than 12 characters") + ": set the object store's real secret; the service does not start with a default one");
        }
    }

    /** The platform's bucket: jobs/, uploads/ and batches/ live there. */
    public String bucket() {
        return bucket;
    }

    public JobKeys keys(String jobId) {
        return new JobKeys(bucket, jobId);
    }
}
