package dev.spa.obspa;

import dev.spa.ir.Model;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.runtime.OnnxRunner;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unfolded patches times the layer's matrix are the Conv's outputs as ONNX Runtime computes them, for any geometry. */
class UnfoldTest {
    private static final int BATCH = 2;
    private static final int CHANNELS = 3;
    private static final int OUTPUTS = 4;

    @Test
    void stridesDilationsAndUnevenPadsMatchOnnxRuntime() {
        check(9, 7, 3, "strides", new long[] {2, 1}, "dilations", new long[] {1, 2}, "pads", new long[] {2, 0, 1, 3});
    }

    @Test
    void paddingWiderThanTheDilatedKernelReachesMatchesOnnxRuntime() {
        check(5, 6, 3, "strides", new long[] {3, 2}, "dilations", new long[] {2, 3}, "pads", new long[] {4, 4, 4, 4});
    }

    @Test
    void samePaddingMatchesOnnxRuntime() {
        check(8, 5, 3, "strides", new long[] {2, 2}, "auto_pad", "SAME_UPPER");
        check(8, 5, 2, "strides", new long[] {2, 2}, "auto_pad", "SAME_LOWER");
    }

    @Test
    void aPointwiseConvMatchesOnnxRuntime() {
        check(4, 4, 1);
    }

    private static void check(int h, int w, int kernel, Object... attrs) {
        Model m = new GraphBuilder().input("x", -1, CHANNELS, h, w).output("y").weight("W", OUTPUTS, CHANNELS, kernel, kernel).weight("B", OUTPUTS)
                .opAttrs("Conv", "y", new String[] {"x", "W", "B"}, attrs).model();
        LinearLayer layer = LinearLayer.of(m.graph(), m.graph().nodes().get(0));
        int n = layer.hessianColumns();
        float[] input = new float[BATCH * CHANNELS * h * w];
        Random r = new Random(3);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) r.nextGaussian();
        }
        float[][] rows = new float[1][];
        int[] count = {0};
        Unfold.rows(layer, input, new long[] {BATCH, CHANNELS, h, w}, (chunk, c) -> {
            rows[0] = chunk.clone();
            count[0] = c;
        });
        float[] matrix = layer.matrix(m.graph()); // OUTPUTS x n, the bias as the last column
        try (OnnxRunner runner = new OnnxRunner(m.toBytes(), 1)) {
            var out = runner.run(Map.of("x", input), BATCH);
            float[] y = out.values().get("y");
            long[] shape = out.shapes().get("y");
            int positions = (int) (shape[2] * shape[3]);
            assertEquals(BATCH * positions, count[0], "one row per output position");
            for (int row = 0; row < count[0]; row++) {
                for (int o = 0; o < OUTPUTS; o++) {
                    double v = 0;
                    for (int i = 0; i < n; i++) {
                        v += (double) matrix[o * n + i] * rows[0][row * n + i];
                    }
                    assertEquals(y[((row / positions) * OUTPUTS + o) * positions + row % positions], v, 1e-4, "row " + row + ", output " + o);
                }
            }
        }
    }
}
