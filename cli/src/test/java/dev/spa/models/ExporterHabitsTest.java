package dev.spa.models;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.ir.ModelLoader;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.TensorShapeProto;
import dev.spa.testing.PruneCheck;
import dev.spa.testing.SpaCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.spa.testing.Groups.groupOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What other exporters write, small: TensorFlow's NHWC Transposes and MatMul + Add, MATLAB's Dropout and
 * symbolic batch names, Paddle's Constant-node weights and free H/W, a body inside an If, graphs that end in
 * ArgMax or TopK. Each is analysed, pruned where it can be and checked by the oracle, or refused with its reason.
 */
class ExporterHabitsTest {
    private static final long[] PAD1 = {1, 1, 1, 1};
    private static final long[] TO_NCHW = {0, 3, 1, 2};
    private static final long[] TO_NHWC = {0, 2, 3, 1};
    private static final int INT64 = 7;

    @TempDir
    Path tmp;

    private static void oracle(Analysis a) {
        for (long seed = 1; seed <= 3; seed++) {
            PruneCheck.oracleError(a, PruneCheck.randomOraclePlan(a, seed), List.of());
        }
    }

    private static void assertPrunable(Analysis a, String weight, int axis, int channels) {
        Group g = groupOf(a, weight, axis);
        assertTrue(g != null && g.prunable(), weight + " axis " + axis + ": " + (g == null ? "no group" : g.blockedReasons()));
        assertEquals(channels, g.channels(), weight);
    }

    /** tf2onnx: an NHWC input, Transposes into and out of every Conv, ReduceMean over H and W, MatMul + Add for dense layers. */
    @Test
    void tensorflowNhwcTransposesAndMatMulPlusAddArePruned() {
        Analysis a = Analysis.of(new GraphBuilder().input("x", -1, 8, 8, 3).output("y")
                .opAttrs("Transpose", "xc", new String[] {"x"}, "perm", TO_NCHW)
                .weight("W1", 8, 3, 3, 3).weight("B1", 8).opAttrs("Conv", "c1", new String[] {"xc", "W1", "B1"}, "pads", PAD1)
                .opAttrs("Transpose", "c1h", new String[] {"c1"}, "perm", TO_NHWC).op("Relu", "r1", "c1h")
                .opAttrs("Transpose", "r1c", new String[] {"r1"}, "perm", TO_NCHW)
                .weight("W2", 6, 8, 1, 1).op("Conv", "c2", "r1c", "W2")
                .opAttrs("Transpose", "c2h", new String[] {"c2"}, "perm", TO_NHWC)
                .opAttrs("ReduceMean", "pooled", new String[] {"c2h"}, "axes", new long[] {1, 2}, "keepdims", 0L)
                .weight("M1", 6, 10).op("MatMul", "d1", "pooled", "M1").weight("b1", 10).op("Add", "d1b", "d1", "b1")
                .op("Relu", "r2", "d1b")
                .weight("M2", 10, 4).op("MatMul", "d2", "r2", "M2").weight("b2", 4).op("Add", "y", "d2", "b2").model());
        assertPrunable(a, "W1", 0, 8);
        assertPrunable(a, "W2", 0, 6);
        assertPrunable(a, "M1", 1, 10);
        assertFalse(groupOf(a, "M2", 1).prunable(), "the logits feed the graph output");
        oracle(a);
    }

    /** MATLAB: Dropout left in the inference graph, and the batch axis named by the exporter rather than left as N. */
    @Test
    void matlabDropoutAndASymbolicBatchNameArePruned() {
        ModelProto proto = new GraphBuilder().input("x", -1, 3, 8, 8).output("y")
                .weight("W1", 8, 3, 3, 3).opAttrs("Conv", "c1", new String[] {"x", "W1"}, "pads", PAD1)
                .op("Dropout", "d", "c1").op("Relu", "r", "d")
                .weight("W2", 5, 8, 1, 1).op("Conv", "y", "r", "W2").proto();
        ModelProto.Builder named = proto.toBuilder();
        named.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .setDim(0, TensorShapeProto.Dimension.newBuilder().setDimParam("unk__142"));
        Analysis a = Analysis.of(new ModelLoader().load(named.build().toByteArray(), null, "matlab-style"));
        assertPrunable(a, "W1", 0, 8);
        oracle(a);
    }

    /** Paddle: every weight a Constant node's value, and the input's H and W free. */
    @Test
    void paddleConstantNodeWeightsAndFreeSpatialSizeArePruned() {
        Analysis a = Analysis.of(new GraphBuilder().input("x", -1, 3, -1, -1).output("y")
                .constantWeight("W1", 8, 3, 3, 3).constantWeight("B1", 8)
                .opAttrs("Conv", "c1", new String[] {"x", "W1", "B1"}, "pads", PAD1).op("Relu", "r", "c1")
                .constantWeight("W2", 5, 8, 1, 1).op("Conv", "y", "r", "W2").model());
        assertPrunable(a, "W1", 0, 8);
        oracle(a);
    }

    /** Convs inside an If's branches: no group can be followed there, so a target is refused with the reason. */
    @Test
    void aBodyInsideAnIfIsNotPrunedAndATargetSaysWhy() throws Exception {
        GraphBuilder branch = new GraphBuilder().output("out")
                .weight("W1", 8, 3, 3, 3).opAttrs("Conv", "c1", new String[] {"x", "W1"}, "pads", PAD1).op("Relu", "r", "c1")
                .weight("W2", 5, 8, 1, 1).op("Conv", "out", "r", "W2");
        Path model = tmp.resolve("if.onnx");
        Files.write(model, new GraphBuilder().input("x", 1, 3, 8, 8).output("y")
                .opAttrs("ReduceMean", "m", new String[] {"x"}, "keepdims", 0L)
                .floats("zero", new long[0], new float[] {0}).op("Greater", "cond", "m", "zero")
                .opAttrs("If", "y", new String[] {"cond"}, "then_branch", branch.subgraph(), "else_branch", branch.subgraph())
                .bytes());
        Analysis a = Analysis.of(new ModelLoader().load(model));
        assertTrue(a.prunableGroups().isEmpty(), a.groups().toString());
        SpaCli.Run r = SpaCli.run("prune", model.toString(), "-o", tmp.resolve("out.onnx").toString(), "--target", "macs=0.5");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("no group of this model can be pruned (layers inside the bodies of If 'If_2' are not analysed")
                && r.err().contains("nothing was written"), r.err());
        assertTrue(SpaCli.ok("inspect", model.toString()).out().contains("note: layers inside the bodies of If 'If_2'"));
    }

    /** A classifier exported with its ArgMax, or a TopK, as the graph's output: the hidden channels prune, the classes do not. */
    @Test
    void graphsEndingInArgMaxOrTopKPruneTheirHiddenChannels() throws Exception {
        for (String ending : new String[] {"ArgMax", "TopK"}) {
            GraphBuilder b = new GraphBuilder().input("x", -1, 3, 8, 8)
                    .weight("W1", 8, 3, 3, 3).opAttrs("Conv", "c1", new String[] {"x", "W1"}, "pads", PAD1).op("Relu", "r", "c1")
                    .op("GlobalAveragePool", "p", "r").op("Flatten", "f", "p")
                    .weight("G", 10, 8).opAttrs("Gemm", "logits", new String[] {"f", "G"}, "transB", 1L);
            if (ending.equals("ArgMax")) {
                b.opAttrs("ArgMax", "y", new String[] {"logits"}, "axis", 1L, "keepdims", 0L).output("y", INT64);
            } else {
                b.longs("k", 3).node("TopK", new String[] {"logits", "k"}, new String[] {"values", "indices"}).output("values").output("indices", INT64);
            }
            Path model = tmp.resolve(ending + ".onnx");
            Files.write(model, b.bytes());
            Analysis a = Analysis.of(new ModelLoader().load(model));
            assertPrunable(a, "W1", 0, 8);
            assertFalse(groupOf(a, "G", 0).prunable(), ending + ": the classes reach the output");
            SpaCli.ok("prune", model.toString(), "-o", tmp.resolve(ending + "-pruned.onnx").toString(), "--ratio", "0.5");
            SpaCli.ok("verify", model.toString(), tmp.resolve(ending + "-pruned.onnx").toString());
        }
    }
}
