package dev.spa.architecture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repository keeps the import rules; and each rule, broken on purpose in a small tree, is caught. */
class ImportRulesTest {
    private static Path repository() {
        return Path.of(System.getProperty("spa.repository.dir", "..")).toAbsolutePath().normalize();
    }

    @Test
    void theRepositoryKeepsEveryRule() {
        SourceTree tree = SourceTree.read(repository());
        assertTrue(tree.files().stream().filter(f -> f.module().equals("engine") && !f.test()).count() > 100,
                "the engine's sources were found under " + repository());
        assertEquals(List.of(), ImportRules.violations(tree));
    }

    @Test
    void everyMainPackageSaysWhatItIsForAndWhatItMayImport() {
        SourceTree tree = SourceTree.read(repository());
        List<String> missing = tree.files().stream().filter(f -> !f.test()).map(f -> f.path().getParent()).distinct()
                .filter(dir -> !Files.exists(dir.resolve("package-info.java"))).map(dir -> repository().relativize(dir).toString()).toList();
        assertEquals(List.of(), missing, "packages with no package-info.java");
    }

    @Test
    void everyRuleBrokenIsCaught(@TempDir Path root) throws IOException {
        write(root, "engine/src/main/java/dev/spa/ir/Model.java", "package dev.spa.ir;\nimport dev.spa.rules.Rule;\nclass Model {}");
        write(root, "engine/src/main/java/dev/spa/rules/Rule.java",
                "package dev.spa.rules;\nimport dev.spa.platform.Store;\nclass Rule { dev.spa.testing.Helper h; }");
        write(root, "engine/src/main/java/dev/spa/newpkg/Loose.java", "package dev.spa.newpkg;\nclass Loose {}");
        write(root, "engine/src/test/java/dev/spa/testing/Helper.java", "package dev.spa.testing;\nclass Helper {}");
        write(root, "services/platform/src/main/java/dev/spa/platform/Store.java", "package dev.spa.platform;\nclass Store {}");
        write(root, "services/scorer/src/main/java/dev/spa/scorer/Scorer.java", "package dev.spa.scorer;\nclass Scorer {}");
        write(root, "services/exporter/src/main/java/dev/spa/exporter/Exporter.java",
                "package dev.spa.exporter;\nimport dev.spa.scorer.Scorer;\nimport dev.spa.cli.Table;\n"
                        + "// dev.spa.testing.Helper in a comment is no reference\nclass Exporter { String s = \"dev.spa.testing.Helper\"; }");
        write(root, "cli/src/main/java/dev/spa/cli/Table.java", "package dev.spa.cli;\nclass Table {}");

        List<String> v = ImportRules.violations(SourceTree.read(root));
        assertEquals(List.of(
                "Model.java (engine) names dev.spa.rules.Rule: dev.spa.ir (layer 2) may not name dev.spa.rules (layer 4)",
                "Loose.java is in dev.spa.newpkg, which is in no layer of ImportRules.ENGINE_LAYERS",
                "Rule.java (engine) names dev.spa.platform.Store: the engine names only itself and the schemas",
                "Rule.java (engine) names dev.spa.testing.Helper: main code names test code",
                "Rule.java (engine) names dev.spa.testing.Helper: the engine names only itself and the schemas",
                "Exporter.java (services/exporter) names dev.spa.scorer.Scorer: a service names another service",
                "Exporter.java (services/exporter) names dev.spa.cli.Table: only the CLI names the CLI (it is an application, not a library)"),
                v.stream().sorted(ImportRulesTest::byFileOrder).toList());
    }

    /** Violations in the order the files are read (sorted paths), then as found. */
    private static int byFileOrder(String a, String b) {
        return Integer.compare(order(a), order(b));
    }

    private static int order(String v) {
        List<String> files = List.of("Model.java", "Loose.java", "Rule.java", "Exporter.java");
        for (int i = 0; i < files.size(); i++) {
            if (v.startsWith(files.get(i))) {
                return i;
            }
        }
        return files.size();
    }

    private static void write(Path root, String path, String text) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
