package dev.spa.rules;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.ir.Model;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.testing.PruneCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.spa.testing.Groups.groupOf;
import static dev.spa.testing.Groups.member;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One small graph per operator rule: the coupling it must find, and the oracle after pruning it. */
class OperatorRulesTest {
    private static final long[] K3 = {3, 3};
    private static final long[] PAD1 = {1, 1, 1, 1};

    private static void oracle(Analysis a) {
        for (long seed = 1; seed <= 3; seed++) {
            PruneCheck.oracleError(a, PruneCheck.randomOraclePlan(a, seed), List.of());
        }
    }

    /** x -> Conv(W1) -> [middle ops on "h"] -> Conv(W2) -> y; returns the builder for the middle. */
    private static GraphBuilder convPair(int channels) {
        return new GraphBuilder().input("x", -1, 3, 8, 8).output("y")
                .weight("W1", channels, 3, 3, 3).weight("B1", channels)
                .opAttrs("Conv", "h", new String[] {"x", "W1", "B1"}, "pads", PAD1)
                .weight("W2", 5, channels, 1, 1);
    }

    @Test
    void convBatchNormReluConvCouplesRowsBatchNormAndNextColumns() {
        Analysis a = Analysis.of(convPair(8)
                .weight("g", 8).weight("b", 8).weight("m", 8).positive("v", 8)
                .op("BatchNormalization", "bn", "h", "g", "b", "m", "v").op("Relu", "r", "bn")
                .op("Conv", "y", "r", "W2").model());
        Group g = groupOf(a, "W1", 0);
        assertNotNull(g);
        assertTrue(g.prunable());
        assertEquals(8, g.channels());
        assertEquals(Role.OUTPUT, member(g, "W1", 0).role());
        assertEquals(Role.OUTPUT, member(g, "B1", 0).role());
        assertEquals(Role.INPUT, member(g, "W2", 1).role());
        assertNotNull(member(g, "v", 0));
        assertFalse(groupOf(a, "W2", 0).prunable(), "the last conv feeds the graph output");
        oracle(a);
    }

    @Test
    void depthwiseConvTiesEachGroupsInputAndOutputAndUpdatesGroupCount() {
        Analysis a = Analysis.of(convPair(8)
                .weight("Wd", 16, 1, 3, 3).opAttrs("Conv", "d", new String[] {"h", "Wd"}, "group", 8L, "pads", PAD1)
                .weight("W3", 5, 16, 1, 1).op("Conv", "y", "d", "W3").model());
        Group g = groupOf(a, "W1", 0);
        assertEquals(8, g.channels());
        assertArrayEquals(new int[] {2, 3}, member(g, "Wd", 0).positions()[1], "multiplier 2: two depthwise rows per channel");
        assertArrayEquals(new int[] {2, 3}, member(g, "W3", 1).positions()[1]);
        oracle(a);
    }

    /**
     * A Caffe2-style channel shuffle (Reshape [N, 12, H, W] -> [N, 3, 4, H, W], Transpose of the two, Reshape back): channel c
     * of every one of the 3 groups goes together, rows c, c + 4, c + 8 of the Conv before and columns 3c .. 3c + 2 of the one
     * after, so each group keeps the same channels and the pruned model is still a shuffle (the oracle holds).
     */
    @Test
    void channelShuffleIsPrunedWithinItsGroups() {
        Analysis a = Analysis.of(convPair(12)
                .longs("split", 0, 3, 4, 8, 8).op("Reshape", "s", "h", "split")
                .opAttrs("Transpose", "t", new String[] {"s"}, "perm", new long[] {0, 2, 1, 3, 4})
                .longs("merge", 0, 12, 8, 8).op("Reshape", "z", "t", "merge")
                .op("Conv", "y", "z", "W2").model());
        Group g = groupOf(a, "W1", 0);
        assertTrue(g.prunable(), g.blockedReasons().toString());
        assertEquals(4, g.channels(), "the 4 channels of each group");
        assertArrayEquals(new int[] {1, 5, 9}, member(g, "W1", 0).positions()[1]);
        assertArrayEquals(new int[] {3, 4, 5}, member(g, "W2", 1).positions()[1]);
        oracle(a);
    }

    /**
     * Two shuffles of 4 channels in 2 groups in a row: the first ties channels {0, 2} and {1, 3}, the second ties what
     * they became ({0, 1} and {2, 3} of the first's input), so all four are one unit: blocked, with the reason.
     */
    @Test
    void repeatedShufflesThatTieEveryChannelBlockTheGroupWithTheReason() {
        GraphBuilder b = convPair(4);
        String in = "h";
        for (int i = 0; i < 2; i++) {
            b.longs("split" + i, 0, 2, 2, 8, 8).op("Reshape", "s" + i, in, "split" + i)
                    .opAttrs("Transpose", "t" + i, new String[] {"s" + i}, "perm", new long[] {0, 2, 1, 3, 4})
                    .longs("merge" + i, 0, 4, 8, 8).op("Reshape", "z" + i, "t" + i, "merge" + i);
            in = "z" + i;
        }
        Analysis a = Analysis.of(b.op("Conv", "y", in, "W2").model());
        Group g = groupOf(a, "W1", 0);
        assertEquals(1, g.channels());
        assertFalse(g.prunable());
        assertTrue(g.blockedReasons().get(0).contains("tied into one unit"), g.blockedReasons().toString());
    }

    /**
     * DepthToSpace (pixel shuffle) and SpaceToDepth: a channel of the narrow side is b*b channels of the deep side, strided
     * in DCR order, a block in CRD order; the oracle holds on each.
     */
    @Test
    void depthToSpaceAndSpaceToDepthPruneEachNarrowChannelWithItsDeepChannels() {
        for (String mode : new String[] {"DCR", "CRD"}) {
            Analysis a = Analysis.of(new GraphBuilder().input("x", -1, 3, 8, 8).output("y")
                    .weight("W1", 32, 3, 3, 3).opAttrs("Conv", "h", new String[] {"x", "W1"}, "pads", PAD1)
                    .opAttrs("DepthToSpace", "d", new String[] {"h"}, "blocksize", 2L, "mode", mode)
                    .weight("W2", 5, 8, 1, 1).op("Conv", "y", "d", "W2").model());
            Group g = groupOf(a, "W1", 0);
            assertEquals(8, g.channels(), mode);
            assertArrayEquals(mode.equals("DCR") ? new int[] {1, 9, 17, 25} : new int[] {4, 5, 6, 7}, member(g, "W1", 0).positions()[1], mode);
            oracle(a);
        }
        Analysis a = Analysis.of(convPair(8).opAttrs("SpaceToDepth", "s", new String[] {"h"}, "blocksize", 2L)
                .weight("W3", 5, 32, 1, 1).op("Conv", "y", "s", "W3").model());
        Group g = groupOf(a, "W1", 0);
        assertEquals(8, g.channels());
        assertArrayEquals(new int[] {1, 9, 17, 25}, member(g, "W3", 1).positions()[1]);
        oracle(a);
    }

    @Test
    void groupedConvPrunesWholeGroups() {
        Analysis a = Analysis.of(convPair(8)
                .weight("Wg", 8, 4, 3, 3).opAttrs("Conv", "gconv", new String[] {"h", "Wg"}, "group", 2L, "pads", PAD1)
                .weight("W3", 5, 8, 1, 1).op("Conv", "y", "gconv", "W3").model());
        Group g = groupOf(a, "W1", 0);
        assertEquals(2, g.channels(), "two conv groups of four channels");
        assertEquals(4, member(g, "W1", 0).positionsPerChannel());
        oracle(a);
    }

    @Test
    void convTransposeCouplesInputRowsAndOutputColumns() {
        Analysis a = Analysis.of(convPair(8)
                .weight("Wt", 8, 6, 2, 2).weight("Bt", 6).opAttrs("ConvTranspose", "t", new String[] {"h", "Wt", "Bt"}, "strides", new long[] {2, 2})
                .weight("W3", 5, 6, 1, 1).op("Conv", "y", "t", "W3").model());
        assertEquals(Role.INPUT, member(groupOf(a, "W1", 0), "Wt", 0).role());
        Group out = groupOf(a, "Wt", 1);
        assertTrue(out.prunable());
        assertEquals(Role.OUTPUT, member(out, "Bt", 0).role());
        oracle(a);
    }

    @Test
    void residualAddCouplesBothBranches() {
        Analysis a = Analysis.of(convPair(8)
                .weight("Wb", 8, 8, 3, 3).opAttrs("Conv", "b", new String[] {"h", "Wb"}, "pads", PAD1)
                .op("Add", "s", "h", "b").op("Relu", "r", "s").op("Conv", "y", "r", "W2").model());
        Group g = groupOf(a, "W1", 0);
        assertEquals(g, groupOf(a, "Wb", 0), "both producers of the sum are one group");
        assertEquals(Role.INPUT, member(g, "Wb", 1).role());
        oracle(a);
    }

    @Test
    void squeezeExcitationScalesAreCoupledWithTheirChannels() {
        Analysis a = Analysis.of(convPair(8)
                .op("GlobalAveragePool", "p", "h").weight("Wr", 2, 8, 1, 1).weight("Br", 2).op("Conv", "q", "p", "Wr", "Br")
                .op("Relu", "qr", "q").weight("We", 8, 2, 1, 1).weight("Be", 8).op("Conv", "e", "qr", "We", "Be")
                .op("Sigmoid", "sg", "e").op("Mul", "sx", "h", "sg").op("Conv", "y", "sx", "W2").model());
        Group g = groupOf(a, "W1", 0);
        assertEquals(g, groupOf(a, "We", 0), "the expand conv's rows scale the same channels");
        assertEquals(Role.INPUT, member(g, "Wr", 1).role());
        oracle(a);
    }

    @Test
    void concatPlacesEachBranchAtItsOffset() {
        Analysis a = Analysis.of(convPair(8)
                .weight("Wb", 4, 3, 3, 3).opAttrs("Conv", "b", new String[] {"x", "Wb"}, "pads", PAD1)
                .opAttrs("Concat", "c", new String[] {"h", "b"}, "axis", 1L)
                .weight("W3", 5, 12, 1, 1).op("Conv", "y", "c", "W3").model());
        Group second = groupOf(a, "Wb", 0);
        assertArrayEquals(new int[] {8}, member(second, "W3", 1).positions()[0]);
        assertArrayEquals(new int[] {11}, member(second, "W3", 1).positions()[3]);
        oracle(a);
    }

    @Test
    void splitAndSliceMapOffsetRangesAndFollowPruning() {
        Analysis a = Analysis.of(convPair(8)
                .longs("sizes", 3, 5).node("Split", new String[] {"h", "sizes"}, new String[] {"s0", "s1"}, "axis", 1L)
                .longs("st", 1).longs("en", 4).longs("ax", 1).op("Slice", "sl", "s1", "st", "en", "ax")
                .weight("Wa", 5, 3, 1, 1).op("Conv", "ya", "s0", "Wa")
                .weight("Wb", 5, 3, 1, 1).op("Conv", "yb", "sl", "Wb").op("Add", "y", "ya", "yb").model());
        Group sliced = groupOf(a, "Wb", 1);
        assertArrayEquals(new int[] {4}, member(sliced, "W1", 0).positions()[0], "the slice starts at W1 row 3 + 1");
        assertArrayEquals(new int[] {0}, member(sliced, "Wb", 1).positions()[0]);
        assertEquals(3, groupOf(a, "Wa", 1).channels(), "the first split output is its own group");
        oracle(a);
    }

    @Test
    void flattenTurnsEachChannelIntoABlockOfFeatures() {
        Analysis a = Analysis.of(convPair(8)
                .opAttrs("MaxPool", "p", new String[] {"h"}, "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2})
                .opAttrs("Flatten", "f", new String[] {"p"}, "axis", 1L)
                .weight("Wf", 5, 128).weight("Bf", 5).opAttrs("Gemm", "y", new String[] {"f", "Wf", "Bf"}, "transB", 1L).model());
        Group g = groupOf(a, "W1", 0);
        assertEquals(16, member(g, "Wf", 1).positionsPerChannel());
        assertArrayEquals(new int[] {16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}, member(g, "Wf", 1).positions()[1]);
        oracle(a);
    }

    @Test
    void reshapeTransposeSqueezeUnsqueezeFollowTheChannelAxis() {
        Analysis a = Analysis.of(convPair(8)
                .op("GlobalAveragePool", "p", "h").longs("shape", -1, 8).op("Reshape", "r", "p", "shape")
                .longs("ax", 2).op("Unsqueeze", "u", "r", "ax").op("Squeeze", "s", "u", "ax")
                .opAttrs("Transpose", "t", new String[] {"s"}, "perm", new long[] {1, 0})
                .opAttrs("Transpose", "t2", new String[] {"t"}, "perm", new long[] {1, 0})
                .weight("Wl", 8, 5).op("MatMul", "y", "t2", "Wl").model());
        Group g = groupOf(a, "W1", 0);
        assertTrue(g.prunable());
        assertEquals(Role.INPUT, member(g, "Wl", 0).role());
        oracle(a);
    }

    @Test
    void linearLayersThroughGemmAndMatMulWithGelu() {
        Analysis a = Analysis.of(new GraphBuilder().input("x", -1, 6, 16).output("y")
                .weight("W1", 16, 32).op("MatMul", "m", "x", "W1").weight("b1", 32).op("Add", "h", "m", "b1")
                .op("Gelu", "g", "h").op("Tanh", "t", "g").weight("W2", 32, 16).op("MatMul", "y", "t", "W2").opset(20).model());
        Group g = groupOf(a, "W1", 1);
        assertTrue(g.prunable());
        assertEquals(Role.OUTPUT, member(g, "W1", 1).role());
        assertEquals(Role.INPUT, member(g, "W2", 0).role());
        assertFalse(groupOf(a, "W2", 1).prunable());
        oracle(a);
    }

    /**
     * PyTorch's multi-head attention, 2 heads of width 4 over 5 tokens: heads folded into the
     * batch ([5, N, 8] -> [5, N*2, 4]) with Reshape targets computed from Shape, as its exporter writes them.
     */
    private static Model attention() {
        GraphBuilder b = new GraphBuilder().input("x", -1, 5, 8).output("y")
                .opAttrs("Transpose", "xt", new String[] {"x"}, "perm", new long[] {1, 0, 2})
                .weight("Wqkv", 8, 24).op("MatMul", "qkv0", "xt", "Wqkv").weight("Bqkv", 24).op("Add", "qkv", "Bqkv", "qkv0")
                .longs("two", 2).longs("one", 1).longs("tokens", 5).longs("width", 4)
                // the batch N, read from the shape, times 2 heads: the exporter's computed target
                .op("Shape", "xs", "xt").op("Gather", "n", "xs", "one").op("Mul", "nh", "n", "two")
                .node("Concat", new String[] {"tokens", "nh", "width"}, new String[] {"headShape"}, "axis", 0L);
        String[] names = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            b.longs(names[i] + "Start", 8L * i).longs(names[i] + "End", 8L * i + 8).longs(names[i] + "Axis", 2)
                    .op("Slice", names[i] + "s", "qkv", names[i] + "Start", names[i] + "End", names[i] + "Axis")
                    .op("Reshape", names[i] + "r", names[i] + "s", "headShape");
        }
        return b.opAttrs("Transpose", "qt", new String[] {"qr"}, "perm", new long[] {1, 0, 2})
                .floats("scale", new long[0], new float[] {2f}).op("Div", "qd", "qt", "scale")
                .opAttrs("Transpose", "kt", new String[] {"kr"}, "perm", new long[] {1, 2, 0})
                .opAttrs("Transpose", "vt", new String[] {"vr"}, "perm", new long[] {1, 0, 2})
                .op("MatMul", "scores", "qd", "kt").opAttrs("Softmax", "p", new String[] {"scores"}, "axis", -1L)
                .op("MatMul", "o", "p", "vt").opAttrs("Transpose", "ot", new String[] {"o"}, "perm", new long[] {1, 0, 2})
                // back to [5*N, 8], the width read from the input's shape (so it must be rewritten)
                .op("Gather", "e", "xs", "two").op("Mul", "tn", "tokens", "n")
                .node("Concat", new String[] {"tn", "e"}, new String[] {"merged"}, "axis", 0L).op("Reshape", "om", "ot", "merged")
                .weight("Wo", 8, 8).weight("Bo", 8).opAttrs("Gemm", "y", new String[] {"om", "Wo", "Bo"}, "transB", 1L).model();
    }

    @Test
    void attentionHeadsFoldedIntoTheBatchArePrunedWhole() {
        Analysis a = Analysis.of(attention());
        Group heads = groupOf(a, "Wqkv", 1);
        assertNotNull(heads);
        assertTrue(heads.prunable(), heads.blockedReasons().toString());
        assertFalse(heads.channelMixing());
        assertEquals(2, heads.channels());
        assertArrayEquals(new int[] {4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23}, member(heads, "Wqkv", 1).positions()[1],
                "head 1 is the second half of each of Q, K and V");
        assertArrayEquals(new int[] {4, 5, 6, 7}, member(heads, "Wo", 1).positions()[1]);
        assertEquals(Role.INPUT, member(heads, "Wo", 1).role());
        oracle(a);
    }

    /**
     * A ViT's class token as PyTorch exports {@code cat(zeros(n, 1, width) + cls, tokens)}: ConstantOfShape of
     * [batch read from the input, 1, width], where width is the constant {@code widthValue} or, computed, the
     * tokens' own width read from their shape.
     */
    private static Model classToken(boolean widthFromShape) {
        GraphBuilder b = new GraphBuilder().input("x", -1, 6, 8).output("y")
                .weight("W1", 8, 8).op("MatMul", "h", "x", "W1")
                .longs("zero", 0).longs("one", 1).longs("two", 2).longs("widthValue", 8)
                .op("Shape", "xs", "x").op("Gather", "n", "xs", "zero");
        String width = "widthValue";
        if (widthFromShape) {
            b.op("Shape", "hs", "h").op("Gather", "hw", "hs", "two");
            width = "hw";
        }
        return b.node("Concat", new String[] {"n", "one", width}, new String[] {"clsShape"}, "axis", 0L)
                .op("ConstantOfShape", "zeros", "clsShape").weight("cls", 1, 1, 8).op("Add", "c", "zeros", "cls")
                .node("Concat", new String[] {"c", "h"}, new String[] {"tokens"}, "axis", 1L).op("Relu", "r", "tokens")
                .weight("W2", 8, 5).op("MatMul", "y", "r", "W2").model();
    }

    @Test
    void classTokenOfConstantWidthIsPrunedWithTheTokens() {
        Analysis a = Analysis.of(classToken(false));
        Group g = groupOf(a, "W1", 1);
        assertTrue(g.prunable(), g.blockedReasons().toString());
        assertNotNull(member(g, "cls", 2), "the class token loses the same channels as the tokens");
        assertEquals(Role.INPUT, member(g, "W2", 0).role());
        oracle(a);
    }

    @Test
    void classTokenWhoseWidthIsComputedBlocksTheGroupWithTheReason() {
        Group g = groupOf(Analysis.of(classToken(true)), "W1", 1);
        assertFalse(g.prunable());
        assertTrue(g.blockedReasons().toString().contains("ConstantOfShape"), g.blockedReasons().toString());
    }

    @Test
    void gemmWithoutTransposeCouplesColumns() {
        Analysis a = Analysis.of(new GraphBuilder().input("x", -1, 16).output("y")
                .weight("W1", 16, 32).weight("b1", 32).op("Gemm", "h", "x", "W1", "b1").op("LeakyRelu", "r", "h")
                .weight("W2", 10, 32).opAttrs("Gemm", "y", new String[] {"r", "W2"}, "transB", 1L).model());
        Group g = groupOf(a, "W1", 1);
        assertEquals(Role.INPUT, member(g, "W2", 1).role());
        oracle(a);
    }

    @Test
    void layerNormalizationIsPrunableButChannelMixing() {
        Analysis a = Analysis.of(new GraphBuilder().input("x", -1, 6, 16).output("y")
                .weight("W1", 16, 32).op("MatMul", "h", "x", "W1").weight("gamma", 32).weight("beta", 32)
                .opAttrs("LayerNormalization", "ln", new String[] {"h", "gamma", "beta"}, "axis", -1L)
                .weight("W2", 32, 16).op("MatMul", "y", "ln", "W2").model());
        Group g = groupOf(a, "W1", 1);
        assertTrue(g.prunable());
        assertTrue(g.channelMixing());
        assertNotNull(member(g, "gamma", 0));
    }

    @Test
    void reduceMeanOverChannelsMixesAndOverSpaceDoesNot() {
        Analysis a = Analysis.of(convPair(8)
                .opAttrs("ReduceMean", "m", new String[] {"h"}, "axes", new long[] {2, 3}, "keepdims", 1L)
                .opAttrs("ReduceMean", "c", new String[] {"h"}, "axes", new long[] {1}, "keepdims", 1L)
                .op("Add", "z", "m", "c").op("Conv", "y", "z", "W2").model());
        assertTrue(groupOf(a, "W1", 0).channelMixing());
        assertTrue(groupOf(a, "W1", 0).prunable());
    }

    @Test
    void softmaxBlocksItsOwnAxisAndPassesOthers() {
        Analysis blocked = Analysis.of(convPair(8).opAttrs("Softmax", "s", new String[] {"h"}, "axis", 1L).op("Conv", "y", "s", "W2").model());
        assertFalse(groupOf(blocked, "W1", 0).prunable());
        Analysis passes = Analysis.of(convPair(8).opAttrs("Softmax", "s", new String[] {"h"}, "axis", 3L).op("Conv", "y", "s", "W2").model());
        assertTrue(groupOf(passes, "W1", 0).prunable());
        oracle(passes);
    }

    @Test
    void resizePadClipDropoutInstanceNormPassChannels() {
        Analysis a = Analysis.of(convPair(8)
                .floats("roi", new long[] {0}, new float[0]).floats("scales", new long[] {4}, new float[] {1, 1, 2, 2})
                .op("Resize", "rs", "h", "roi", "scales").longs("pads", 0, 0, 1, 1, 0, 0, 1, 1).op("Pad", "pd", "rs", "pads")
                .floats("lo", new long[] {}, new float[] {0}).floats("hi", new long[] {}, new float[] {6})
                .op("Clip", "cl", "pd", "lo", "hi").node("Dropout", new String[] {"cl"}, new String[] {"dr"})
                .weight("is", 8).weight("ib", 8).op("InstanceNormalization", "in", "dr", "is", "ib")
                .op("HardSwish", "hs", "in").op("Conv", "y", "hs", "W2").model());
        assertTrue(groupOf(a, "W1", 0).prunable());
        oracle(a);
    }

    @Test
    void unknownOperatorBlocksOnlyTheGroupsItTouches() {
        Analysis a = Analysis.of(convPair(8)
                .node("MysteryOp", new String[] {"h"}, new String[] {"u"})
                .weight("Wb", 6, 5, 1, 1).op("Conv", "y2", "u", "W2").op("Conv", "y", "y2", "Wb").model());
        Group g = groupOf(a, "W1", 0);
        assertFalse(g.prunable());
        assertTrue(g.blockedReasons().get(0).contains("no rule for operator MysteryOp"), g.blockedReasons().toString());
    }

    @Test
    void graphInputsAndOutputsAreNeverPruned() {
        Analysis a = Analysis.of(new GraphBuilder().input("x", -1, 8, 4, 4).output("y")
                .weight("W", 8, 8, 1, 1).op("Conv", "c", "x", "W").op("Add", "y", "c", "x").model());
        Group g = groupOf(a, "W", 0);
        assertFalse(g.prunable());
        assertTrue(String.join(";", g.blockedReasons()).contains("graph input"));
    }
}
