package dev.spa.platform;

import dev.spa.ir.ModelFiles;

import java.nio.file.Path;

/** Writes a model from disk to the store as ONNX lays it out: the .onnx object, its data files beside it where the model names them. */
public final class ModelUpload {
    private ModelUpload() {
    }

    /** Uploads {@code files} with the .onnx at {@code target}; a data file named like the .onnx itself is INVALID_MODEL. */
    public static void store(ObjectStore store, ModelFiles files, S3Uri target) {
        Path folder = files.model().toAbsolutePath().getParent();
        for (Path data : files.data()) {
            if (target.sibling(location(folder, data)).equals(target)) {
                throw new JobRejected("INVALID_MODEL", "the model keeps tensors in '" + location(folder, data) + "', the name its copy "
                        + target + " takes: rename the data file", false);
            }
        }
        store.upload(target, files.model(), "application/octet-stream");
        for (Path data : files.data()) {
            store.upload(target.sibling(location(folder, data)), data, "application/octet-stream");
        }
    }

    /** The data file's place relative to the model, with '/' between folders as object keys have them. */
    private static String location(Path folder, Path data) {
        return folder.relativize(data).toString().replace(java.io.File.separatorChar, '/');
    }
}
