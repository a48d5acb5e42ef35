package dev.spa.platform;

import dev.spa.Sha256;
import dev.spa.SpaException;
import dev.spa.TempFolders;
import dev.spa.ir.Model;
import dev.spa.ir.ModelFiles;
import dev.spa.ir.ModelLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * A stored model fetched into a temporary folder as ONNX lays it out: the .onnx file, and the data files its
 * tensors name (external data, how models over 2 GiB are stored) at the same places relative to it, read from
 * beside the .onnx object in the store. Both the engine and ONNX Runtime load it from there. Closing removes the
 * folder. Every refusal is a {@link JobRejected} that names the object.
 */
public final class StoredModel implements AutoCloseable {
    private final S3Uri uri;
    private final Path folder;
    private final ModelFiles files;

    private StoredModel(S3Uri uri, Path folder, ModelFiles files) {
        this.uri = uri;
        this.folder = folder;
        this.files = files;
    }

    /**
     * Fetches the model at {@code uri} and its data files; more than {@code sizeLimit} bytes in all is MODEL_TOO_LARGE
     * (checked from the objects' sizes before their contents are read).
     */
    public static StoredModel fetch(ObjectStore store, String uri, long sizeLimit) {
        S3Uri at = JobModels.address(uri);
        long size = JobModels.size(store, uri);
        checkSize(uri, size, sizeLimit);
        Path folder = TempFolders.create("model");
        try {
            Path file = folder.resolve(fileName(at));
            JobModels.download(store, at, file);
            ModelFiles files = namedFiles(file, uri);
            for (Path data : files.data()) {
                String location = files.location(data);
                if (data.equals(file)) {
                    throw new JobRejected("INVALID_MODEL", "model '" + uri + "' names itself as its external data file", false);
                }
                S3Uri dataUri = at.sibling(location);
                long dataSize = dataSize(store, dataUri, uri, location);
                size += dataSize;
                checkSize(uri, size, sizeLimit);
                Files.createDirectories(data.getParent());
                JobModels.download(store, dataUri, data);
            }
            return new StoredModel(at, folder, files);
        } catch (IOException e) {
            TempFolders.delete(folder);
            throw new SpaException("cannot fetch model '" + uri + "' into " + folder + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            TempFolders.delete(folder);
            throw e;
        }
    }

    private static String fileName(S3Uri at) {
        String name = at.key().substring(at.key().lastIndexOf('/') + 1);
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "model.onnx" : name;
    }

    private static ModelFiles namedFiles(Path file, String uri) {
        try {
            return ModelFiles.of(file, uri);
        } catch (SpaException e) {
            throw new JobRejected("INVALID_MODEL", e.getMessage(), false, e);
        }
    }

    private static long dataSize(ObjectStore store, S3Uri dataUri, String uri, String location) {
        try {
            return store.size(dataUri);
        } catch (ObjectNotFoundException e) {
            throw new JobRejected("MODEL_NOT_FOUND", "model '" + uri + "' keeps tensors in '" + location + "', but there is no "
                    + dataUri + " beside it", false);
        }
    }

    private static void checkSize(String uri, long size, long sizeLimit) {
        if (size > sizeLimit) {
            throw new JobRejected("MODEL_TOO_LARGE", uri + " is " + size + " bytes with its data files, over the limit of " + sizeLimit, false);
        }
    }

    /** The .onnx file, with its data files beside it. */
    public Path file() {
        return files.model();
    }

    /** The folder that holds it: room for what a stage writes beside it. */
    public Path folder() {
        return folder;
    }

    public boolean hasExternalData() {
        return files.hasExternalData();
    }

    /** The .onnx file and its data files together. */
    public long bytes() {
        return files.bytes();
    }

    /** SHA-256 of the .onnx file (its data files are checked against the tensors that name them when it loads). */
    public String sha256() {
        MessageDigest digest = Sha256.digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file()), digest)) {
            in.transferTo(OutputStream.nullOutputStream()); // streamed: the file is never whole in the heap for this
            return Sha256.hex(digest, new byte[0]);
        } catch (IOException e) {
            throw new SpaException("cannot read " + file() + ": " + e.getMessage(), e);
        }
    }

    /** The engine's loader on the fetched files; what it refuses (a data file too short, a bad graph) is INVALID_MODEL. */
    public Model load() {
        try {
            return new ModelLoader(Long.MAX_VALUE).load(Files.readAllBytes(file()), folder, uri.toString());
        } catch (IOException e) {
            throw new SpaException("cannot read " + file() + ": " + e.getMessage(), e);
        } catch (SpaException e) {
            throw new JobRejected("INVALID_MODEL", e.getMessage(), false, e);
        }
    }

    /** Writes the fetched model to {@code target} and its data files beside it, at the places the model names. */
    public void store(ObjectStore store, S3Uri target) {
        ModelUpload.store(store, files, target);
    }

    @Override
    public void close() {
        TempFolders.delete(folder);
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
