package dev.spa.models;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.ir.ModelLoader;
import dev.spa.testing.MiniLmFiles;
import dev.spa.testing.PruneCheck;
import dev.spa.testing.SpaCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * all-MiniLM-L6-v2 as langchain4j ships it (a test dependency, fetched from Maven Central): a real BERT with int64
 * token inputs, decomposed LayerNorm, Erf GELU and attention reshapes built from Shape/Gather/Concat. Its 6 x 12
 * heads and 6 x 1536 FFN units are found, and pruning them passes the oracle with token ids fed as int64.
 */
class MiniLmTest {
    @TempDir
    Path tmp;

    private Path model() throws Exception {
        return MiniLmFiles.model(tmp);
    }

    @Test
    void headsAndFeedForwardUnitsAreFoundAndPrunedExactly() throws Exception {
        Analysis a = Analysis.of(new ModelLoader().load(model()));
        List<Group> prunable = a.prunableGroups();
        assertEquals(6, prunable.stream().filter(g -> g.channels() == 12).count(), "12 heads in each of 6 layers");
        assertEquals(6, prunable.stream().filter(g -> g.channels() == 1536).count(), "1536 FFN units in each of 6 layers");
        assertEquals(12, prunable.size());
        Group residual = a.groups().stream().filter(g -> g.channels() == 384).findFirst().orElseThrow();
        assertFalse(residual.prunable(), "the residual width reaches the output");
        assertTrue(residual.blockedReasons().get(0).contains("last_hidden_state"), residual.blockedReasons().toString());
        PruneCheck.oracleError(a, PruneCheck.randomOraclePlan(a, 3), List.of());
    }

    /**
     * The CLI prunes it at a stated sequence length with OBSPA's Hessians from synthetic token sequences (ids drawn from
     * the vocabulary, mask 1, type 0) and measures its agreement on such sequences; the pruned model still runs at other
     * batch sizes and lengths (its heads' Reshape targets copy the sizes they copied), where a prune with no weight
     * update passes the oracle.
     */
    @Test
    void theCliPrunesItAtAStatedLengthAndThePrunedModelRunsAtAnyLength() throws Exception {
        Path file = model();
        List<String> shapes = List.of("--input-shape", "input_ids=1,8", "--input-shape", "attention_mask=1,8",
                "--input-shape", "token_type_ids=1,8");
        Path obspa = tmp.resolve("obspa.onnx");
        SpaCli.Run run = SpaCli.ok(args(file, obspa, shapes, "--criterion", "obspa", "--ood"));
        assertTrue(run.err().contains("token ids drawn uniformly from 30522"), run.err());
        assertTrue(run.out().contains("agreement with the original"), run.out());
        assertTrue(SpaCli.ok("verify", file.toString(), obspa.toString()).out().contains("the kept weights were updated (obspa)"));

        Path l2 = tmp.resolve("l2.onnx");
        SpaCli.ok(args(file, l2, shapes, "--criterion", "l2"));
        String verified = SpaCli.ok("verify", file.toString(), l2.toString(), "--batch", "3").out(); // 3 sequences of 3 tokens
        assertTrue(verified.contains("oracle deviation"), verified);
    }

    private static String[] args(Path in, Path out, List<String> shapes, String... rest) {
        List<String> a = new ArrayList<>(List.of("prune", in.toString(), "-o", out.toString(), "--target", "macs=0.7", "--global"));
        a.addAll(shapes);
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }
}
