package dev.spa.bench;

import dev.spa.linalg.CpuLinalg;
import dev.spa.linalg.Linalg;
import dev.spa.obspa.ObsSolver;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Times the OBSPA linear algebra of one layer at the sizes of ResNet's layers (576 to 4608 Hessian
 * columns): Gram accumulation of 2048 rows, Cholesky, inverse from Cholesky, and the OBS update of a
 * 512-output layer losing half its columns. Prints a Markdown table. Usage: LinalgBenchmark [SIZES...]
 */
public final class LinalgBenchmark {
    static final int ROWS = 2048;
    static final int OUTPUTS = 512;

    /** One layer's timings in milliseconds. */
    record Timings(double gram, double cholesky, double inverse, double update) {
        double total() {
            return gram + cholesky + inverse + update;
        }
    }

    private LinalgBenchmark() {
    }

    public static void main(String[] args) {
        int[] sizes = sizes(args);
        Linalg linalg = new CpuLinalg();
        System.out.println("| backend | n | Gram, 2048 rows, ms | Cholesky ms | inverse ms | OBS update (512 outputs, half the columns) ms |");
        System.out.println("|---|---|---|---|---|---|");
        for (int n : sizes) {
            Timings t = time(linalg, n);
            System.out.printf("| %s | %d | %.0f | %.0f | %.0f | %.0f |%n", linalg.name(), n, t.gram(), t.cholesky(), t.inverse(), t.update());
        }
    }

    static int[] sizes(String[] args) {
        return args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {576, 1152, 2304, 4608};
    }

    /** Random layer inputs X (ROWS x n) and weights W (OUTPUTS x n) for size n, the same for the same n. */
    static float[][] layer(int n) {
        Random r = new Random(n);
        float[] x = new float[ROWS * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] w = new float[OUTPUTS * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return new float[][] {x, w};
    }

    /** The damped Hessian: XᵀX plus 0.1·ROWS on the diagonal. */
    static float[] dampen(float[] h, int n) {
        for (int i = 0; i < n; i++) {
            h[i * n + i] += 0.1f * ROWS;
        }
        return h;
    }

    static int[] everyOtherColumn(int n) {
        return IntStream.range(0, n).filter(i -> i % 2 == 0).toArray();
    }

    static Timings time(Linalg linalg, int n) {
        float[][] layer = layer(n);
        float[] h = new float[n * n];
        long t0 = System.nanoTime();
        linalg.accumulateGram(h, n, layer[0], ROWS);
        long t1 = System.nanoTime();
        float[] l = linalg.cholesky(dampen(h, n), n);
        long t2 = System.nanoTime();
        float[] inv = linalg.inverseFromCholesky(l, n);
        long t3 = System.nanoTime();
        new ObsSolver(linalg, 0.01).compensate(layer[1], OUTPUTS, n, inv, everyOtherColumn(n));
        long t4 = System.nanoTime();
        return new Timings((t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
    }
}
