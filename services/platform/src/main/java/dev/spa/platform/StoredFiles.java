package dev.spa.platform;

import dev.spa.SpaException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Data a request names in the object store (calibration samples, evaluation data), copied to a local temporary file. */
public final class StoredFiles {
    private StoredFiles() {
    }

    /**
     * @param what what the object is for, in the failure's message ("calibration data")
     * @param code the failure code when it cannot be had ("CALIBRATION_NOT_FOUND")
     */
    public static Path fetch(ObjectStore store, String uri, String what, String code) {
        try {
            byte[] bytes = store.get(S3Uri.parse(uri));
            Path file = Files.createTempFile("spa-", ".bin");
            Files.write(file, bytes);
            return file;
        } catch (SpaException e) {
            throw new JobRejected(code, what + ": " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }
}
