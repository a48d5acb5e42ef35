package dev.spa.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;

/**
 * How many times a stage has started a job without finishing it. A message whose processing kills
 * or hangs the service is delivered again after every restart; counted in the object store (under
 * {@code attempts/<stage>/<job-id>}, removed when the job leaves the stage) the count survives the
 * restarts, so the stage can give such a poison pill up instead of dying on it forever.
 */
@ApplicationScoped
public class StageAttempts {
    @Inject
    ObjectStore store;

    @Inject
    StoreSetup setup;

    @ConfigProperty(name = "spa.stage.max-attempts", defaultValue = "3")
    int maxAttempts;

    private S3Uri key(String stage, String jobId) {
        return new S3Uri(setup.bucket(), "attempts/" + stage + "/" + setup.keys(jobId).jobId());
    }

    /** Records one more start and returns how many there have been, this one included. */
    public int start(String stage, String jobId) {
        S3Uri key = key(stage, jobId);
        int before;
        try {
            before = Integer.parseInt(new String(store.get(key), StandardCharsets.US_ASCII).trim());
        } catch (ObjectNotFoundException e) {
            before = 0;
        } catch (NumberFormatException e) {
            before = maxAttempts;
        }
        int now = before + 1;
        store.put(key, Integer.toString(now).getBytes(StandardCharsets.US_ASCII), "text/plain");
        return now;
    }

    /** The job left the stage (done, failed or dead-lettered): nothing to count any more. */
    public void finished(String stage, String jobId) {
        store.delete(key(stage, jobId));
    }

    /** Starts allowed before the job is given up as a poison pill. */
    public int max() {
        return maxAttempts;
    }
}
