package dev.spa.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's map and docs/ARCHITECTURE.md's layers are what the tree says ({@link DocsMap}). Where they drifted, run
 * {@code mvn -q test -pl architecture -Dspa.docs.write=true} to rewrite both, and read the diff.
 */
class DocsMatchTheTreeTest {
    private static final Path REPOSITORY = Path.of(System.getProperty("spa.repository.dir", "..")).toAbsolutePath().normalize();

    @Test
    void readmeMapListsEveryModuleAndPackage() throws IOException {
        check(REPOSITORY.resolve("README.md"), "map", DocsMap.map(REPOSITORY));
    }

    @Test
    void architectureListsTheEngineLayers() throws IOException {
        check(REPOSITORY.resolve("docs/ARCHITECTURE.md"), "layers", DocsMap.layers());
    }

    @Test
    void architectureNamesEveryModule() throws IOException {
        String architecture = Files.readString(REPOSITORY.resolve("docs/ARCHITECTURE.md"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(REPOSITORY.resolve("pom.xml")));
        while (m.find()) {
            assertTrue(architecture.contains("`" + m.group(1) + "/`"), "docs/ARCHITECTURE.md's modules leave out " + m.group(1));
        }
    }

    @Test
    void theMapNamesEveryEnginePackageInItsLayerAndSaysWhatItMayImport() {
        String map = DocsMap.map(REPOSITORY);
        for (var layer : ImportRules.ENGINE_LAYERS) {
            for (String pkg : layer) {
                assertTrue(map.contains("| `" + pkg + "` | "), pkg + " is not in the map");
            }
        }
        assertTrue(!map.contains("(no package-info.java)"), map);
        assertTrue(map.contains("| `dev.spa.obspa` | OBSPA:") && map.contains("*Layer 12:"), map);
    }

    private static void check(Path document, String name, String expected) throws IOException {
        String text = Files.readString(document);
        if (Boolean.getBoolean("spa.docs.write")) {
            Files.writeString(document, DocsMap.withBlock(text, name, expected));
            text = Files.readString(document);
        }
        String actual = DocsMap.block(text, name);
        assertNotNull(actual, document + " has no <!-- " + name + ":begin --> ... <!-- " + name + ":end --> markers");
        assertEquals(expected, actual, document + "'s " + name + " differs from the tree: rerun with -Dspa.docs.write=true");
    }
}
