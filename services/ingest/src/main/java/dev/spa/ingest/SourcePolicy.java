package dev.spa.ingest;

import dev.spa.SpaException;
import dev.spa.events.PruningRequest;
import dev.spa.platform.JobRejected;
import dev.spa.platform.S3Uri;

import java.util.List;

/**
 * The addresses a registration or a request may make the platform read: an allow-list of
 * {@code bucket/key-prefix} entries (spa.sources.allowed). Anything else (another bucket, or another
 * job's objects in the platform's own bucket) is refused with SOURCE_NOT_ALLOWED before it is read.
 */
public final class SourcePolicy {
    private final List<String> allowed;

    public SourcePolicy(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    public boolean allows(S3Uri uri) {
        String address = uri.bucket() + "/" + uri.key();
        return !uri.key().contains("..") && allowed.stream().anyMatch(address::startsWith);
    }

    /** Throws unless {@code uri} (named {@code what} in the message) may be read. */
    public void check(String what, String uri) {
        S3Uri at;
        try {
            at = S3Uri.parse(uri);
        } catch (SpaException e) {
            throw new JobRejected("BAD_MODEL_URI", what + ": " + e.getMessage(), true);
        }
        if (!allows(at)) {
            throw new JobRejected("SOURCE_NOT_ALLOWED", what + " " + uri + " is outside the addresses this platform may read ("
                    + String.join(", ", allowed) + ")", true);
        }
    }

    /** Every address in a registration: the model and the request's calibration and evaluation data. */
    public void checkAll(String modelUri, PruningRequest request) {
        check("the model", modelUri);
        if (!request.getCalibrationUri().isEmpty()) {
            check("the calibration data", request.getCalibrationUri());
        }
        if (!request.getEvaluationInputsUri().isEmpty()) {
            check("the evaluation inputs", request.getEvaluationInputsUri());
        }
        if (!request.getEvaluationLabelsUri().isEmpty()) {
            check("the evaluation labels", request.getEvaluationLabelsUri());
        }
    }
}
