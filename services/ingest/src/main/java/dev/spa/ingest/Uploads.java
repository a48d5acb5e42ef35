package dev.spa.ingest;

import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;
import dev.spa.platform.StoreSetup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.InputStream;
import java.util.concurrent.Semaphore;

/**
 * Streams an uploaded model into the object store at {@code uploads/<job-id>/<file>}, never whole in
 * the heap: at most the model size limit (413 past it, and the partial object is removed), and at
 * most {@code spa.ingest.max-concurrent-uploads} at once (429 with Retry-After beyond); where the store fails, 503
 * with Retry-After and the reason, and no job.
 */
@ApplicationScoped
public class Uploads {
    /** The answer to a stored upload: where it is, its size and its SHA-256. */
    public record Stored(S3Uri uri, long bytes, String sha256) {
    }

    @Inject
    ObjectStore store;

    @Inject
    StoreSetup setup;

    @Inject
    IngestSetup limits;

    @ConfigProperty(name = "spa.ingest.max-concurrent-uploads", defaultValue = "4")
    int maxConcurrent;

    private Semaphore slots;

    @PostConstruct
    void init() {
        slots = new Semaphore(maxConcurrent);
    }

    Stored store(String jobId, String name, InputStream body) throws UploadRefused {
        if (!slots.tryAcquire()) {
            throw new UploadRefused(429, maxConcurrent + " uploads are in progress, as many as ingest takes at once: try again shortly");
        }
        try {
            S3Uri uri = new S3Uri(setup.bucket(), "uploads/" + jobId + "/" + fileName(name));
            CountingDigestStream counted = new CountingDigestStream(body, limits.modelLimit());
            try {
                store.putStream(uri, counted, "application/octet-stream");
            } catch (RuntimeException e) {
                if (counted.overLimit()) {
                    store.delete(uri);
                    throw new UploadRefused(413, "the model is over the limit of " + limits.modelLimit() + " bytes");
                }
                // the store failed (after its retries, where the body could be read again): nothing was registered
                throw new UploadRefused(503, "the object store did not take the upload (" + e.getMessage()
                        + "); no job was created: try again shortly");
            }
            if (counted.count() == 0) {
                store.delete(uri);
                throw new UploadRefused(400, "the request body must be the ONNX model's bytes");
            }
            return new Stored(uri, counted.count(), counted.sha256());
        } finally {
            slots.release();
        }
    }

    /** Letters, digits, '.', '_' and '-' only, and never a name of dots alone. */
    static String fileName(String name) {
        String file = name == null || name.isBlank() ? "model.onnx" : name.replaceAll("[^A-Za-z0-9._-]", "_");
        return file.matches("\\.+") ? "model.onnx" : file;
    }
}
