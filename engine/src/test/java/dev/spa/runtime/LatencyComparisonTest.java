package dev.spa.runtime;

import dev.spa.modelkit.GraphBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The comparison's arithmetic and what it reports, on real ONNX Runtime sessions. No assertion on how fast
 * anything is (timed assertions are flaky): a model that does 64 times the work is compared with a small one
 * only to check the direction of the ratio, which no noise on a 2-core machine reverses.
 */
class LatencyComparisonTest {
    private static byte[] mlp(int width) {
        return mlp(-1, width);
    }

    private static byte[] mlp(int batch, int width) {
        return new GraphBuilder().input("x", batch, 256).output("y").weight("W1", 256, width).op("MatMul", "h", "x", "W1").op("Relu", "r", "h")
                .weight("W2", width, 16).op("MatMul", "y", "r", "W2").bytes();
    }

    @Test
    void aModelComparedWithAMuchLargerOneIsFasterAndTheReportSaysHowItWasMeasured() {
        try (OnnxRunner small = new OnnxRunner(mlp(32), 1); OnnxRunner large = new OnnxRunner(mlp(2048), 1)) {
            LatencyComparison c = LatencyComparison.measure(large, small, "CPU", 1, 8, 5, 31);
            assertEquals(31, c.rounds());
            assertTrue(c.ratioLow() <= c.ratio() && c.ratio() <= c.ratioHigh(), c.describe());
            assertTrue(c.ratio() < 1 && !c.slower(), "64 times less work measured slower: " + c.describe());
            assertTrue(c.beforeMs() > 0 && c.afterMs() > 0);
            assertTrue(c.describe().contains("ONNX Runtime CPU, 1 intra-op thread, batch 8, 5 warm-up runs, 31 interleaved rounds"), c.describe());
        }
    }

    /** A model exported with a batch of 1 is timed at batch 8 as it is fed: eight runs, inputs bound once. */
    @Test
    void aModelThatFixesItsBatchIsTimedInChunksAtTheAskedBatch() {
        try (OnnxRunner free = new OnnxRunner(mlp(-1, 2048), 1); OnnxRunner fixed = new OnnxRunner(mlp(1, 32), 1)) {
            assertEquals(1, fixed.fixedBatch());
            try (OnnxRunner.Bound chunked = fixed.bindRandom(8); OnnxRunner.Bound whole = free.bindRandom(8)) {
                assertEquals(8, chunked.runsPerBatch(), "eight runs of one sample");
                assertEquals(1, whole.runsPerBatch());
                assertTrue(chunked.runMillis() > 0 && whole.runMillis() > 0);
            }
            LatencyComparison c = LatencyComparison.measure(free, fixed, "CPU", 1, 8, 3, 15);
            assertTrue(c.afterMs() > 0 && c.beforeMs() > 0, c.describe());
        }
    }

    @Test
    void trustDependsOnTheSpreadOfTheRatios() {
        assertTrue(new LatencyComparison("m", 9, 1, 0.5, 0.5, 0.48, 0.53).trusted());
        LatencyComparison noisy = new LatencyComparison("m", 9, 1, 0.5, 0.5, 0.3, 0.8);
        assertTrue(!noisy.trusted() && noisy.describe().contains("too wide to trust"), noisy.describe());
        LatencyComparison slower = new LatencyComparison("m", 9, 1, 1.2, 1.2, 1.1, 1.3);
        assertTrue(slower.slower() && slower.summary().startsWith("SLOWER than the original: "), slower.summary());
        assertEquals(noisy.describe(), noisy.summary(), "a faster model's summary is its description");
    }
}
