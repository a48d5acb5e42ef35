package dev.spa.architecture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small files and, in the engine, small methods: kept in the repository, and a breach in a small tree caught. */
class CodeSizeTest {
    @Test
    void theRepositoryKeepsFilesAndEngineMethodsSmall() {
        Path repository = Path.of(System.getProperty("spa.repository.dir", "..")).toAbsolutePath().normalize();
        assertEquals(List.of(), SizeRules.violations(SourceTree.read(repository)));
    }

    @Test
    void aLongMethodAndALongFileAreCaught(@TempDir Path root) throws IOException {
        StringBuilder method = new StringBuilder("package dev.spa.ir;\nclass Long {\n    static int sum(int a) {\n");
        for (int i = 0; i < 59; i++) {
            method.append("        a += ").append(i).append(";\n");
        }
        method.append("        return a;\n    }\n    void lambdas() {\n        Runnable r = () -> {\n        };\n    }\n}\n");
        Path engine = root.resolve("engine/src/main/java/dev/spa/ir/Long.java");
        Files.createDirectories(engine.getParent());
        Files.writeString(engine, method.toString());
        Path service = root.resolve("services/scorer/src/main/java/dev/spa/scorer/Big.java");
        Files.createDirectories(service.getParent());
        Files.writeString(service, "package dev.spa.scorer;\nclass Big {\n" + "    // a line\n".repeat(400) + "}\n");

        assertEquals(List.of("Long.java:3 sum has 62 lines, over 60", "Big.java (services/scorer) has 403 lines, over 400"),
                SizeRules.violations(SourceTree.read(root)));
    }
}
