package dev.spa.runtime;

import dev.spa.ir.Model;
import dev.spa.modelkit.GraphBuilder;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What data-free candidates are ranked on: held-out synthetic images for a model of images, the job's reference otherwise. */
class ReferenceInputsTest {
    @Test
    void aModelOfImagesIsRankedOnHeldOutImagesAndAnyOtherOnTheJobsReference() {
        Model images = new GraphBuilder().input("x", -1, 3, 16, 16).weight("W", 4, 3, 3, 3).op("Conv", "y", "x", "W").output("y").model();
        ReferenceInputs gaussian = ReferenceInputs.synthetic(images, InputStatistics.DEFAULT);
        ReferenceInputs ranking = ReferenceInputs.heldOutImages(images, InputStatistics.DEFAULT, gaussian);
        assertTrue(ranking.description().startsWith("held-out synthetic images (dead-leaves"), ranking.description());
        float[][] a = new float[1][];
        float[][] b = new float[1][];
        ranking.samples().forEachBatch(8, (data, count) -> a[0] = a[0] == null ? data.clone() : a[0]);
        gaussian.samples().forEachBatch(8, (data, count) -> b[0] = b[0] == null ? data.clone() : b[0]);
        assertFalse(Arrays.equals(a[0], b[0]), "images, not the Gaussian reference");
        int equal = 0;
        for (int i = 0; i + 1 < 256; i++) {
            equal += i % 16 != 15 && a[0][i] == a[0][i + 1] ? 1 : 0;
        }
        assertTrue(equal > 120, "flat regions, as dead leaves have: " + equal + " of 240 neighbours equal");

        Model vector = new GraphBuilder().input("x", -1, 12).weight("W", 12, 4).op("MatMul", "y", "x", "W").output("y").model();
        ReferenceInputs reference = ReferenceInputs.synthetic(vector, InputStatistics.DEFAULT);
        assertSame(reference, ReferenceInputs.heldOutImages(vector, InputStatistics.DEFAULT, reference));
    }
}
