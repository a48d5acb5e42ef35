package dev.spa.obspa;

import dev.spa.groups.Analysis;
import dev.spa.ir.Model;
import dev.spa.modelkit.GraphBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A synthetic capture draws 256 samples, or 16 rows for every column of a layer starved at 256 (up to 4096, within its budget). */
class SyntheticSampleCountTest {
    /** x (width in) -> MatMul -> Relu -> MatMul: the second layer's Hessian has {@code hidden} columns, one row a sample. */
    private static Analysis mlp(long in, long hidden) {
        Model m = new GraphBuilder().input("x", -1, in).output("y")
                .weight("W1", in, hidden).op("MatMul", "h", "x", "W1").op("Relu", "r", "h")
                .weight("W2", hidden, 3).op("MatMul", "y", "r", "W2").model();
        return Analysis.of(m);
    }

    @Test
    void sixteenRowsForEveryColumnOfALayerStarvedAt256() {
        assertEquals(16 * 100, SyntheticSampleCount.of(mlp(4, 100), 0), "256 rows for 100 columns: starved");
    }

    @Test
    void fourRowsAColumnAt256AreNotStarved() {
        assertEquals(SyntheticSampleCount.MIN, SyntheticSampleCount.of(mlp(4, 64), 0));
    }

    @Test
    void neverFewerThanTheMinimumNorMoreThanTheMaximum() {
        assertEquals(SyntheticSampleCount.MIN, SyntheticSampleCount.of(mlp(4, 8), 0));
        assertEquals(SyntheticSampleCount.MAX, SyntheticSampleCount.of(mlp(4, 300), 0));
    }

    @Test
    void aConvGetsARowForEveryOutputPosition() {
        // the second Conv's Hessian has 16 x 3 x 3 columns; each 32 x 32 sample gives it 30 x 30 rows
        Model m = new GraphBuilder().input("x", -1, 3, 32, 32).output("y")
                .weight("W1", 16, 3, 3, 3).opAttrs("Conv", "h", new String[] {"x", "W1"}, "pads", new long[] {1, 1, 1, 1})
                .op("Relu", "r", "h").weight("W2", 8, 16, 3, 3).op("Conv", "y", "r", "W2").model();
        assertEquals(SyntheticSampleCount.MIN, SyntheticSampleCount.of(Analysis.of(m), 0));
    }

    @Test
    void aLargeModelGetsWhatTheBudgetAffords() {
        // 2048 x 2048 + 2048 x 3 MACs a sample: 4 GMAC afford 952 samples, though 2048 columns would want 4096
        Analysis wide = mlp(2048, 2048);
        assertEquals(952, SyntheticSampleCount.of(wide, 0));
        assertEquals(SyntheticSampleCount.MIN, SyntheticSampleCount.of(mlp(16384, 2048), 0), "whose 256 cost more than the budget");
    }

    @Test
    void aStatedCountIsTaken() {
        assertEquals(100, SyntheticSampleCount.of(mlp(4, 300), 100));
    }
}
