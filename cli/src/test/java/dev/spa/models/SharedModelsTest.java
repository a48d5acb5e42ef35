package dev.spa.models;

import dev.spa.cost.Cost;
import dev.spa.cost.PlanCost;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.importance.GroupScorer;
import dev.spa.importance.MagnitudeCriterion;
import dev.spa.ir.Graph;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.ir.Node;
import dev.spa.plan.PruningPlan;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.ModelOutputs;
import dev.spa.select.ChannelSelector;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.surgery.Surgery;
import dev.spa.testing.PruneCheck;
import dev.spa.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
        ModelOutputs original = PruneCheck.run(analysis.model(), inputs, 2, List.of());
        GroupScorer scorer = new GroupScorer(MagnitudeCriterion.l2(), GroupScorer.Aggregation.SUM, GroupScorer.Normalization.MEAN);
        List<SelectionOptions> cases = List.of(SelectionOptions.local(0.3), SelectionOptions.local(0.5),
                new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of()));
        for (SelectionOptions options : cases) {
            Pruner.Result r = new Pruner(s -> { }).prune(file.getFileName().toString(), analysis, scorer, options);
            ModelOutputs pruned = PruneCheck.run(r.pruned(), inputs, 2, List.of());
            for (String name : original.shapes().keySet()) {
                assertArrayEquals(original.shapes().get(name), pruned.shapes().get(name), file.getFileName() + " " + options.target());
            }
            Cost recount = new PlanCost(analyse(savedAndReloaded(r.pruned()))).original();
            assertEquals(r.after(), recount, "reported cost of the pruned " + file.getFileName() + " at " + options.target());
            assertTrue(r.after().params() < r.before().params() && r.after().macs() < r.before().macs(),
                    file.getFileName() + " got no smaller at " + options.target());
            if (options.target().kind() == Target.Kind.MACS) {
                assertTrue(r.after().macsRatio(r.before()) <= 0.5 || everyGroupAtItsFloor(analysis, r.plan(), options),
                        file.getFileName() + " kept " + r.after().macsRatio(r.before()) + " of its MACs");
            }
        }
    }

    private static Path savedAndReloaded(Model model) {
        try {
            Path f = Files.createTempFile("spa-pruned", ".onnx");
            f.toFile().deleteOnExit();
            model.write(f);
            return f;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean everyGroupAtItsFloor(Analysis analysis, PruningPlan plan, SelectionOptions options) {
        for (Group g : analysis.prunableGroups()) {
            int[] kept = plan.keptChannels().get(g.id());
            if (kept == null || kept.length > options.fewestKept(g.channels())) {
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
            Set<String> resized = new HashSet<>();
            plan.keptPositions(analysis.groups()).keySet().forEach(d -> resized.add(d.value()));
            List<String> observe = observedValues(analysis).stream().filter(v -> !resized.contains(v)).toList();
            if (plan.keptChannels().isEmpty()) {
                assertEveryGroupMixesItsChannels(file, analysis);
                return;
            }
            PruneCheck.oracleError(analysis, plan, observe);
        }
    }

    /**
     * Each attention of the transformer models gives one prunable group of whole heads: the group
     * that holds the head axis of the attention scores. An attention is a Softmax over the product of
     * two activations (queries and keys); a Softmax over classes (the detectors' heads) is not one.
     * Heads may sit on an axis of their own ([B, H, T, T]) or be folded into the batch axis.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyAttentionHasAPrunableGroupOfHeads(Path file) {
        Analysis analysis = analyse(file);
        for (Node softmax : attentions(analysis.model().graph())) {
            String scores = softmax.input(0);
            List<Group> headGroups = analysis.prunableGroups().stream()
                    .filter(g -> g.members().stream().anyMatch(m -> m.dim().value().equals(scores)))
                    .toList();
            assertEquals(1, headGroups.size(), file.getFileName() + ": groups of heads of " + softmax.name());
            assertTrue(headGroups.get(0).channels() > 1, file.getFileName() + ": one head only at " + softmax.name());
            assertFalse(headGroups.get(0).channelMixing(), headGroups.get(0).label() + " mixes its heads");
        }
    }

    /** Its class token is ConstantOfShape([batch, 1, 48]) + cls: the 48 is rewritten, so the residual width is prunable. */
    @Test
    void vnncompVitPrunesItsResidualWidthWithTheClassToken() {
        SharedFiles.assumeModels();
        Analysis analysis = analyse(SharedFiles.models().resolve("cifar10_vit_pgd_2_3_16.onnx"));
        Group residual = analysis.groups().stream().filter(g -> g.channels() == 48).findFirst().orElseThrow();
        assertTrue(residual.prunable(), residual.blockedReasons().toString());
        PruningPlan plan = PruneCheck.randomOraclePlan(analysis, 7);
        assertTrue(plan.keptPositions(analysis.groups()).keySet().stream().anyMatch(d -> d.value().equals("0.cls_token")));
        PruneCheck.oracleError(analysis, plan, List.of());
        SelectionOptions quarter = new SelectionOptions(Target.parse("macs=0.25"), true, 1, 1, Set.of());
        Pruner.Result r = new Pruner(s -> { }).prune("vit", analysis, new GroupScorer(MagnitudeCriterion.l2(),
                GroupScorer.Aggregation.SUM, GroupScorer.Normalization.MEAN), quarter);
        assertTrue(r.after().macsRatio(r.before()) <= 0.25, "a quarter of the MACs is reachable: " + r.after().macsRatio(r.before()));
    }

    @Test
    void attentionsAreToldFromSoftmaxOverClasses() {
        SharedFiles.assumeModels();
        assertEquals(2, attentions(analyse(SharedFiles.models().resolve("cifar10_vit_pgd_2_3_16.onnx")).model().graph()).size());
        assertEquals(4, attentions(analyse(SharedFiles.models().resolve("vit_tiny.onnx")).model().graph()).size());
        assertEquals(0, attentions(analyse(SharedFiles.models().resolve("face_slim_320.onnx")).model().graph()).size());
        assertEquals(0, attentions(analyse(SharedFiles.models().resolve("fastestdet_coco.onnx")).model().graph()).size());
    }

    /** Softmax nodes fed (through scaling, masking and casts) by a MatMul of two activations. */
    private static List<Node> attentions(Graph graph) {
        Set<String> passThrough = Set.of("Mul", "Div", "Add", "Sub", "Where", "Cast", "Identity");
        List<Node> found = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (!n.opType().equals("Softmax")) {
                continue;
            }
            Node p = graph.producer(n.input(0));
            while (p != null && passThrough.contains(p.opType())) {
                Node next = null;
                for (String in : p.inputs()) {
                    if (!in.isEmpty() && !graph.isConstant(in) && graph.producer(in) != null) {
                        next = graph.producer(in);
                        break;
                    }
                }
                p = next;
            }
            if (p != null && p.opType().equals("MatMul") && !graph.isConstant(p.input(0)) && !graph.isConstant(p.input(1))) {
                found.add(n);
            }
        }
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void pruningNothingReproducesTheOriginal(Path file) {
        Analysis analysis = analyse(file);
        Model same = Surgery.apply(analysis, PruningPlan.empty());
        Map<String, float[]> inputs = PruneCheck.inputs(analysis.model(), 1, 3);
        ModelOutputs a = PruneCheck.run(analysis.model(), inputs, 1, List.of());
        ModelOutputs b = PruneCheck.run(same, inputs, 1, List.of());
        assertTrue(a.relativeError(b) < 1e-6, "relative error " + a.relativeError(b));
    }

    /**
     * The oracle compares with the original whose pruned inputs are zeroed; that is exact only for
     * groups that no operator mixes (a normalisation over the channels changes when one is removed).
     * A model with no group open to it (an MLP whose every layer feeds a decomposed LayerNorm) must
     * say, for every prunable group, which operator mixes it.
     */
    private static void assertEveryGroupMixesItsChannels(Path file, Analysis analysis) {
        assertFalse(analysis.prunableGroups().isEmpty(), file.getFileName() + " has no prunable group");
        for (Group g : analysis.prunableGroups()) {
            assertTrue(g.channelMixing(), file.getFileName() + ": " + g.label() + " is closed to the oracle for no stated reason");
            assertTrue(g.mixingReasons().stream().allMatch(r -> r.contains("Reduce") || r.contains("Normalization")),
                    file.getFileName() + ": " + g.mixingReasons());
        }
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
