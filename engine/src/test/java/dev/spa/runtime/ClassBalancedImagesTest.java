package dev.spa.runtime;

import dev.spa.ir.Model;
import dev.spa.modelkit.GraphBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassBalancedImagesTest {
    private static final int PIXELS = 64;
    private static final int COUNT = 300;

    /**
     * A classifier of 1x8x8 images by their first pixel x: logits [3, 4x, -4x], so class 1 where x > 0.75, class 2 where
     * x < -0.75, class 0 otherwise: on synthetic images over 40% are class 0 (this seed).
     */
    private static Model firstPixelClassifier() {
        float[] w = new float[3 * PIXELS];
        w[PIXELS] = 4;
        w[2 * PIXELS] = -4;
        return new GraphBuilder().input("x", -1, 1, 8, 8)
                .opAttrs("Flatten", "f", new String[] {"x"}, "axis", 1L)
                .floats("W", new long[] {3, PIXELS}, w).floats("B", new long[] {3}, new float[] {3, 0, 0})
                .opAttrs("Gemm", "y", new String[] {"f", "W", "B"}, "transB", 1L)
                .output("y").model();
    }

    private static int[] classCounts(SampleBatches samples) {
        int[] counts = new int[3];
        samples.forEachBatch(64, (batch, n) -> {
            for (int k = 0; k < n; k++) {
                float x = batch[k * PIXELS];
                counts[x > 0.75f ? 1 : x < -0.75f ? 2 : 0]++;
            }
        });
        return counts;
    }

    private static List<float[]> values(SampleBatches samples) {
        List<float[]> out = new ArrayList<>();
        samples.forEachBatch(64, (batch, n) -> out.add(batch));
        return out;
    }

    @Test
    void everyClassGetsItsShareWhereTheDrawFavoursOne() {
        Model model = firstPixelClassifier();
        int[] plain = classCounts(SampleBatches.synthetic(InputLayout.of(model), COUNT, InputStatistics.DEFAULT, 7, true));
        assertTrue(plain[0] > COUNT * 0.4, "the plain draw is skewed toward class 0, else this test shows nothing: " + plain[0]);

        ClassBalancedImages.Drawn drawn = ClassBalancedImages.draw(model, COUNT, InputStatistics.DEFAULT, 7, 200);
        assertEquals(COUNT, drawn.samples().samples());
        assertArrayEquals(new int[] {COUNT / 3, COUNT / 3, COUNT / 3}, classCounts(drawn.samples()));
        assertTrue(drawn.note().contains("class-balanced: of 600 drawn") && drawn.note().contains("3 classes"), drawn.note());
    }

    @Test
    void aModelThatIsNotAClassifierGetsThePlainDrawAndTheReason() {
        Model regressor = new GraphBuilder().input("x", -1, 1, 8, 8)
                .opAttrs("Flatten", "f", new String[] {"x"}, "axis", 1L)
                .weight("W", 1, PIXELS).weight("B", 1).opAttrs("Gemm", "y", new String[] {"f", "W", "B"}, "transB", 1L)
                .output("y").model();
        ClassBalancedImages.Drawn drawn = ClassBalancedImages.draw(regressor, COUNT, InputStatistics.DEFAULT, 7, 200);
        assertTrue(drawn.note().contains("not [N, classes]"), drawn.note());
        assertSamePlainDraw(regressor, drawn);
    }

    @Test
    void aPoolOverTheBudgetIsNotDrawn() {
        Model model = firstPixelClassifier();
        ClassBalancedImages.Drawn drawn = ClassBalancedImages.draw(model, COUNT, InputStatistics.DEFAULT, 7, 1e8);
        assertTrue(drawn.note().contains("not class-balanced (a pool of 600 images would cost 60.0 GMAC"), drawn.note());
        assertSamePlainDraw(model, drawn);
    }

    private static void assertSamePlainDraw(Model model, ClassBalancedImages.Drawn drawn) {
        List<float[]> expected = values(SampleBatches.synthetic(InputLayout.of(model), COUNT, InputStatistics.DEFAULT, 7, true));
        List<float[]> actual = values(drawn.samples());
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i));
        }
    }

    @Test
    void aSampleTopForTwoClassesIsTakenOnceAndTheSecondClassTakesItsNext() {
        float[][] p = {{0.9f, 0.9f}, {0.5f, 0.1f}, {0.1f, 0.8f}, {0.2f, 0.2f}};
        // class 0 takes sample 0; class 1's best is sample 0 too, taken, so it takes sample 2; then class 0 takes sample 1
        assertArrayEquals(new boolean[] {true, true, true, false}, ClassBalancedImages.taken(p, 3));
    }
}
