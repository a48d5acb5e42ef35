package dev.spa.linalg;

import dev.spa.linalg.cuda.CudaLinalg;
import dev.spa.linalg.cuda.CudaProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA implementation, on a machine with a GPU; skipped, with the probe's reason, everywhere else.
 * The device memory budget is small on purpose (1.5 MiB), so that long inputs go up in chunks of rows
 * and a matrix over the budget takes the CPU fallback.
 */
class CudaLinalgTest extends LinalgContract {
    private static CudaLinalg cuda;

    @AfterAll
    static void release() {
        if (cuda != null) {
            cuda.close();
        }
    }

    /** Each test is skipped on its own, with the probe's reason, so the reports say why. */
    @Override
    Linalg linalg() {
        Availability probe = CudaProbe.result();
        Assumptions.assumeTrue(probe.available(), "no GPU here, CUDA test skipped: " + probe.description());
        if (cuda == null) {
            cuda = new CudaLinalg(0, 3L << 19);
        }
        return cuda;
    }

    @Test
    void aMatrixOverTheBudgetRunsOnTheCpuAndIsCounted() {
        long before = cuda.fallbacks();
        int n = 700; // 700² floats = 1.9 MiB, over the budget
        float[] h = new float[n * n];
        float[] x = random(3 * n, 9);
        cuda.accumulateGram(h, n, x, 3);
        float[] expected = new float[n * n];
        new CpuLinalg().accumulateGram(expected, n, x, 3);
        assertEquals(before + 1, cuda.fallbacks());
        assertTrue(cuda.lastFallback().contains("budget"), cuda.lastFallback());
        assertTrue(relativeError(h, toDouble(expected)) < 1e-6);
    }

    @Test
    void aLongInputGoesUpInChunksOfRows() {
        int n = 100;
        int rows = 2000; // about 980 rows fit a chunk
        float[] x = random(rows * n, 10);
        float[] h = new float[n * n];
        cuda.accumulateGram(h, n, x, rows);
        assertTrue(relativeError(h, gramReference(x, rows, n)) < 1e-5);
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
