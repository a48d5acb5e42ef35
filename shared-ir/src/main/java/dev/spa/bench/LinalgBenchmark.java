package dev.spa.bench;

import dev.spa.linalg.CpuLinalg;
import dev.spa.linalg.Linalg;
import dev.spa.obspa.ObsSolver;

import java.util.Random;

/**
 * Times the OBSPA linear algebra at the sizes of ResNet's layers (576 to 4608 Hessian columns):
 * Gram accumulation of 2048 rows, Cholesky, inverse from Cholesky, and the OBS update of a
 * 512-output layer losing half its columns. Prints a Markdown table. Usage: LinalgBenchmark [SIZES...]
 */
public final class LinalgBenchmark {
    private LinalgBenchmark() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {576, 1152, 2304, 4608};
        Linalg linalg = new CpuLinalg();
        System.out.println("| backend | n | Gram, 2048 rows, ms | Cholesky ms | inverse ms | OBS update (512 outputs, half the columns) ms |");
        System.out.println("|---|---|---|---|---|---|");
        for (int n : sizes) {
            Random r = new Random(n);
            int rows = 2048;
            float[] x = new float[rows * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] h = new float[n * n];
            long t0 = System.nanoTime();
            linalg.accumulateGram(h, n, x, rows);
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                h[i * n + i] += 0.1f * rows;
            }
            float[] l = linalg.cholesky(h, n);
            long t2 = System.nanoTime();
            float[] inv = linalg.inverseFromCholesky(l, n);
            long t3 = System.nanoTime();
            float[] w = new float[512 * n];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            int[] removed = java.util.stream.IntStream.range(0, n).filter(i -> i % 2 == 0).toArray();
            new ObsSolver(linalg, 0.01).compensate(w, 512, n, inv, removed);
            long t4 = System.nanoTime();
            System.out.printf("| %s | %d | %.0f | %.0f | %.0f | %.0f |%n", linalg.name(), n, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                    (t3 - t2) / 1e6, (t4 - t3) / 1e6);
        }
    }
}
