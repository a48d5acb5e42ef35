package dev.spa.models;

import dev.spa.cost.Cost;
import dev.spa.deps.Analysis;
import dev.spa.deps.Group;
import dev.spa.deps.PruningPlan;
import dev.spa.importance.GroupScorer;
import dev.spa.importance.MagnitudeCriterion;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.ir.Node;
import dev.spa.runtime.Outputs;
import dev.spa.select.ChannelSelector;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.surgery.Pruner;
import dev.spa.surgery.Surgery;
import dev.spa.testing.PruneCheck;
import dev.spa.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model in ../shared/models: groups are found; pruning 30% and 50% of channels (local) and to
 * half the MACs (global) writes a model ONNX Runtime runs with the original output shapes and the
 * reported reduction; random plans pass the oracle; pruning nothing changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedModelsTest {
    static Stream<Path> models() {
        return SharedFiles.modelFiles().stream();
    }

    private static Analysis analyse(Path file) {
        return Analysis.of(new ModelLoader().load(file));
    }

    @Test
    void sharedModelsArePresentOrTheTestsSaySo() {
        SharedFiles.assumeModels();
        assertFalse(SharedFiles.modelFiles().isEmpty(), "no .onnx files in " + SharedFiles.models());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void prunesLocallyAndGloballyToValidSmallerModels(Path file) {
        Analysis analysis = analyse(file);
        assertFalse(analysis.prunableGroups().isEmpty(), "no prunable group in " + file.getFileName());
        Map<String, float[]> inputs = PruneCheck.inputs(analysis.model(), 2, 5);
        Outputs original = PruneCheck.run(analysis.model(), inputs, 2, List.of());
        GroupScorer scorer = new GroupScorer(MagnitudeCriterion.l2(), GroupScorer.Aggregation.SUM, GroupScorer.Normalization.MEAN);
        List<SelectionOptions> cases = List.of(SelectionOptions.local(0.3), SelectionOptions.local(0.5),
                new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of()));
        for (SelectionOptions options : cases) {
            Pruner.Result r = new Pruner(s -> { }).prune(file.getFileName().toString(), analysis, scorer, options);
            Outputs pruned = PruneCheck.run(r.pruned(), inputs, 2, List.of());
            for (String name : original.shapes().keySet()) {
                assertArrayEquals(original.shapes().get(name), pruned.shapes().get(name), file.getFileName() + " " + options.target());
            }
            Cost recount = new ChannelSelector(analyse(savedAndReloaded(r.pruned()))).cost(PruningPlan.empty());
            assertEquals(r.after(), recount, "reported cost of the pruned " + file.getFileName() + " at " + options.target());
            assertTrue(r.after().params() < r.before().params() && r.after().macs() < r.before().macs(),
                    file.getFileName() + " got no smaller at " + options.target());
            if (options.target().kind() == Target.Kind.MACS) {
                assertTrue(r.after().macsRatio(r.before()) <= 0.5 || everyGroupAtMinimum(analysis, r.plan()),
                        file.getFileName() + " kept " + r.after().macsRatio(r.before()) + " of its MACs");
            }
        }
    }

    private static Path savedAndReloaded(Model model) {
        try {
            Path f = java.nio.file.Files.createTempFile("spa-pruned", ".onnx");
            f.toFile().deleteOnExit();
            model.write(f);
            return f;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean everyGroupAtMinimum(Analysis analysis, PruningPlan plan) {
        for (Group g : analysis.prunableGroups()) {
            int[] kept = plan.keptChannels().get(g.id());
            if (kept == null || kept.length > 1) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void randomPlansPassTheOracle(Path file) {
        Analysis analysis = analyse(file);
        for (long seed = 1; seed <= 2; seed++) {
            PruningPlan plan = PruneCheck.randomOraclePlan(analysis, seed);
            Set<String> resized = new java.util.HashSet<>();
            plan.keptPositions(analysis.groups()).keySet().forEach(d -> resized.add(d.value()));
            List<String> observe = observedValues(analysis).stream().filter(v -> !resized.contains(v)).toList();
            assertFalse(plan.keptChannels().isEmpty(), "no group of " + file.getFileName() + " is open to the oracle");
            PruneCheck.oracleError(analysis, plan, observe);
        }
    }

    /** Each attention (one Softmax) of the transformer models gives one prunable group of whole heads. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyAttentionHasAPrunableGroupOfHeads(Path file) {
        Analysis analysis = analyse(file);
        long attentions = analysis.model().graph().nodes().stream().filter(n -> n.opType().equals("Softmax")).count();
        List<Group> headGroups = analysis.prunableGroups().stream()
                .filter(g -> g.members().stream().anyMatch(m -> m.dim().folded()))
                .toList();
        assertEquals(attentions, headGroups.size(), file.getFileName() + ": head groups");
        for (Group g : headGroups) {
            assertFalse(g.channelMixing(), g.label() + " mixes its heads");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void pruningNothingReproducesTheOriginal(Path file) {
        Analysis analysis = analyse(file);
        Model same = Surgery.apply(analysis, PruningPlan.empty());
        Map<String, float[]> inputs = PruneCheck.inputs(analysis.model(), 1, 3);
        Outputs a = PruneCheck.run(analysis.model(), inputs, 1, List.of());
        Outputs b = PruneCheck.run(same, inputs, 1, List.of());
        assertTrue(a.relativeError(b) < 1e-6, "relative error " + a.relativeError(b));
    }

    /**
     * Some randomly initialised models end in a zero-initialised head (ViT), so their outputs carry
     * no signal; the oracle then also compares the head's input, which the oracle plans never resize.
     */
    private static List<String> observedValues(Analysis analysis) {
        List<String> out = new ArrayList<>();
        List<Node> nodes = analysis.model().graph().nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.opType().equals("Gemm") || n.opType().equals("MatMul")) {
                if (!analysis.model().graph().isGraphInput(n.input(0))) {
                    out.add(n.input(0));
                }
                break;
            }
        }
        return out;
    }
}
