package dev.spa.obspa;

import dev.spa.linalg.CpuLinalg;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dust below float32's resolution goes, real coupling stays, and the inverse does not move. */
class NegligibleEntriesTest {
    @Test
    void zeroesOnlyWhatCannotMoveTheInverse() {
        int n = 40;
        Random random = new Random(3);
        float[] h = new float[n * n];
        for (int i = 0; i < n; i++) {
            h[i * n + i] = (float) (1 + random.nextDouble() * 100);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                // every fourth pair truly coupled, the rest dust of the kind a depthwise layer's moments leave
                double v = (i + j) % 4 == 0 ? 0.2 * Math.sqrt(h[i * n + i] * h[j * n + j]) / n : 1e-20 * random.nextGaussian();
                h[i * n + j] = (float) v;
                h[j * n + i] = (float) v;
            }
        }
        float[] cleaned = h.clone();
        NegligibleEntries.zero(cleaned, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean kept = i == j || (i + j) % 4 == 0;
                assertEquals(kept ? h[i * n + j] : 0f, cleaned[i * n + j], "entry " + i + "," + j);
            }
        }
        CpuLinalg linalg = new CpuLinalg();
        float[] inverse = h.clone();
        float[] cleanedInverse = cleaned.clone();
        assertTrue(linalg.invertInPlace(inverse, n));
        assertTrue(linalg.invertInPlace(cleanedInverse, n));
        for (int i = 0; i < inverse.length; i++) {
            assertEquals(inverse[i], cleanedInverse[i], 1e-6 * Math.abs(inverse[(i / n) * n + i / n]), "inverse entry " + i);
        }
    }
}
