package dev.spa.platform;

import dev.spa.SpaException;

/**
 * Where a job's objects live: always {@code jobs/<job-id>/...} in the platform's bucket, so every
 * stage that redoes its work after a redelivery overwrites the same objects.
 */
public record JobKeys(String bucket, String jobId) {
    /** What a job id may be, in words. */
    public static final String ID_RULE = "1-128 letters, digits, '.', '_' or '-'";

    public JobKeys {
        if (!isValidId(jobId)) {
            throw new SpaException("job id '" + jobId + "' must be " + ID_RULE);
        }
    }

    public static boolean isValidId(String jobId) {
        return jobId != null && jobId.matches("[A-Za-z0-9._-]{1,128}") && !jobId.equals(".") && !jobId.equals("..");
    }

    private S3Uri at(String name) {
        return new S3Uri(bucket, "jobs/" + jobId + "/" + name);
    }

    /**
     * The job's copy of the registered model, in a folder of its own: the data files its tensors name (external data)
     * lie beside it at the places the model names, where they cannot meet the job's other objects.
     */
    public S3Uri model() {
        return at("model/model.onnx");
    }

    /** The JobAccepted as ingest minted it: what later stages check their input against. */
    public S3Uri accepted() {
        return at("accepted.pb");
    }

    public S3Uri manifest() {
        return at("manifest.pb");
    }

    public S3Uri updatedTensors() {
        return at("updated-tensors.pb");
    }

    /** The pruned model; when it keeps its tensors in a data file, that is {@code pruned.onnx.data} beside it. */
    public S3Uri prunedModel() {
        return at("pruned.onnx");
    }

    public S3Uri plan() {
        return at("plan.json");
    }

    public S3Uri report() {
        return at("report.json");
    }

    /** A batch's objects live under {@code batches/<batch-id>/}. */
    public static S3Uri batch(String bucket, String batchId, String name) {
        return new S3Uri(bucket, "batches/" + new JobKeys(bucket, batchId).jobId() + "/" + name);
    }
}
