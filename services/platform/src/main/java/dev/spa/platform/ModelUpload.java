package dev.spa.platform;

import dev.spa.ir.ModelFiles;

import java.nio.file.Path;

/** Writes a model from disk to the store as ONNX lays it out: the .onnx object, its data files beside it where the model names them. */
public final class ModelUpload {
    private ModelUpload() {
    }

    /**
     * Uploads {@code files} with the .onnx at {@code target}, its data files first: a bucket notification for the .onnx
     * then never starts a job that finds them missing. A data file named like the .onnx itself is INVALID_MODEL.
     */
    public static void store(ObjectStore store, ModelFiles files, S3Uri target) {
        for (Path data : files.data()) {
            if (target.sibling(files.location(data)).equals(target)) {
                throw new JobRejected("INVALID_MODEL", "the model keeps tensors in '" + files.location(data) + "', the name its copy "
                        + target + " takes: rename the data file", false);
            }
        }
        for (Path data : files.data()) {
            store.upload(target.sibling(files.location(data)), data, "application/octet-stream");
        }
        store.upload(target, files.model(), "application/octet-stream");
    }
}
