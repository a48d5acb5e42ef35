package dev.spa.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The read-only ../shared folder beside the repository; tests that need it skip with a message where it is absent. */
public final class SharedFiles {
    private SharedFiles() {
    }

    public static Path root() {
        return Path.of(System.getProperty("spa.shared.dir", "../shared")).toAbsolutePath().normalize();
    }

    public static Path models() {
        return root().resolve("models");
    }

    public static void assumeModels() {
        Assumptions.assumeTrue(Files.isDirectory(models()),
                "skipped: " + models() + " is absent (the shared test models live beside the repository)");
    }

    public static Path data() {
        return root().resolve("data");
    }

    /** Skips the calling test unless the trained digits model and its data are present. */
    public static void assumeDigits() {
        Assumptions.assumeTrue(Files.isRegularFile(models().resolve("digits_mobilenet.onnx"))
                        && Files.isRegularFile(data().resolve("digits_test_x.f32")),
                "skipped: the trained digits model or " + data() + " is absent (the shared test data live beside the repository)");
    }

    public static List<Path> modelFiles() {
        if (!Files.isDirectory(models())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(models())) {
            return s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + models(), e);
        }
    }
}
