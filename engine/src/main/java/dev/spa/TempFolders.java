package dev.spa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders made for one step (a model written for ONNX Runtime, a stored model fetched) and removed after it. */
public final class TempFolders {
    private TempFolders() {
    }

    /** A new folder in the system's temporary directory, named after what it is for. */
    public static Path create(String purpose) {
        try {
            return Files.createTempDirectory("spa-" + purpose);
        } catch (IOException e) {
            throw new SpaException("cannot make a temporary folder for " + purpose + ": " + e.getMessage(), e);
        }
    }

    /** Removes the folder and all in it; null or a folder already gone is not an error. */
    public static void delete(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the temporary folder " + folder, e);
        }
    }
}
