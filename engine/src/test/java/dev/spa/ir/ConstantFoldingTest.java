package dev.spa.ir;

import dev.spa.modelkit.GraphBuilder;
import dev.spa.runtime.ModelOutputs;
import dev.spa.runtime.OnnxRunner;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weights that reach a layer through Reshape, Transpose, Squeeze, Unsqueeze, Flatten, Cast or
 * Identity are folded into constants at load, and the folded model computes what the original does.
 */
class ConstantFoldingTest {
    /** x[N,12] -> MatMul with Transpose(Reshape(W[2,5,12] -> [10,12])) -> Unsqueeze/Squeeze round trip -> y. */
    private static GraphBuilder layoutChain(int opset) {
        GraphBuilder b = new GraphBuilder().opset(opset).input("x", -1, 12).output("y")
                .weight("W", 2, 5, 12).longs("shape", 10, 12)
                .op("Reshape", "W10", "W", "shape")
                .opAttrs("Transpose", "Wt", new String[] {"W10"}, "perm", new long[] {1, 0})
                .opAttrs("Cast", "Wc", new String[] {"Wt"}, "to", 1L);
        if (opset >= 13) {
            b.longs("axes", 0).op("Unsqueeze", "Wu", "Wc", "axes").op("Squeeze", "Ws", "Wu", "axes");
        } else {
            b.opAttrs("Unsqueeze", "Wu", new String[] {"Wc"}, "axes", new long[] {0})
                    .opAttrs("Squeeze", "Ws", new String[] {"Wu"}, "axes", new long[] {0});
        }
        return b.op("Identity", "Wi", "Ws").op("MatMul", "y", "x", "Wi");
    }

    @Test
    void layoutOperatorsOnAWeightBecomeOneConstantThatComputesTheSame() {
        for (int opset : new int[] {11, 17}) {
            GraphBuilder b = layoutChain(opset);
            Model model = b.model();
            assertEquals(1, model.graph().nodes().size(), "only the MatMul is left at opset " + opset);
            Tensor folded = model.graph().constant("Wi");
            assertNotNull(folded);
            assertArrayEquals(new long[] {12, 10}, folded.dims());
            Map<String, float[]> in;
            ModelOutputs original;
            try (OnnxRunner runner = new OnnxRunner(b.bytes(), 1)) {
                in = runner.randomInputs(3, 5);
                original = runner.run(in, 3);
            }
            try (OnnxRunner runner = new OnnxRunner(model.toBytes(), 1)) {
                assertTrue(original.relativeError(runner.run(in, 3)) < 1e-6);
            }
        }
    }

    @Test
    void transposeMovesEveryElement() {
        float[] v = new float[24];
        for (int i = 0; i < 24; i++) {
            v[i] = i;
        }
        Tensor t = Tensor.ofFloats("t", new long[] {2, 3, 4}, v);
        Tensor p = t.transposed("p", new int[] {2, 0, 1});
        assertArrayEquals(new long[] {4, 2, 3}, p.dims());
        float[] out = p.floats();
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(v[b * 12 + c * 4 + a], out[a * 6 + b * 3 + c]);
                }
            }
        }
    }
}
