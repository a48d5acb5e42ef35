package dev.spa.bench;

import dev.spa.linalg.Availability;
import dev.spa.linalg.CpuLinalg;
import dev.spa.linalg.Linalg;
import dev.spa.linalg.OpenBlas;
import dev.spa.obspa.ObsSolver;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Times the OBSPA linear algebra of one layer at the sizes of ResNet's layers (576 to 4608 Hessian
 * columns) on the hand-written kernels and on OpenBLAS, side by side: Gram accumulation of 2048 rows, an
 * n x n x n product, Cholesky, inverse from Cholesky (with GFLOP/s and the share of the CPU's peak), and
 * the OBS update of a 512-output layer losing half its columns. Prints a Markdown table.
 * Usage: LinalgBenchmark [SIZES...]
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
        Map<String, Linalg> backends = new LinkedHashMap<>();
        backends.put("hand-written", new CpuLinalg());
        Availability blas = OpenBlas.result();
        if (blas.available()) {
            backends.put("OpenBLAS", OpenBlas.linalg());
        }
        CpuPeak peak = CpuPeak.ofThisMachine();
        System.out.println("hand-written kernels against " + blas.description() + "; OPENBLAS_L2_SIZE="
                + System.getenv().getOrDefault("OPENBLAS_L2_SIZE", "unset"));
        System.out.println(peak.describe() + "\n");
        float[] warmUp = square(sizes[0]);
        for (Linalg linalg : backends.values()) {
            time(linalg, sizes[0]); // warm-up: JIT, native loading, thread pools
            gemm(linalg, warmUp, sizes[0]);
        }
        System.out.println("| backend | n | Gram, 2048 rows | GEMM n x n x n | Cholesky | inverse from Cholesky | OBS update (512 outputs, half the columns) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int n : sizes) {
            float[] square = square(n);
            for (Map.Entry<String, Linalg> backend : backends.entrySet()) {
                Timings t = fastest(backend.getValue(), n);
                double gemm = Math.min(gemm(backend.getValue(), square, n), gemm(backend.getValue(), square, n));
                System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %.1f ms |%n", backend.getKey(), n,
                        peak.rate(t.gram(), (double) ROWS * n * n), peak.rate(gemm, 2.0 * n * n * n),
                        peak.rate(t.cholesky(), n * (double) n * n / 3), peak.rate(t.inverse(), 2.0 * n * n * n / 3), t.update());
            }
        }
    }

    /** Each operation's fastest of two runs: single runs on a 2-core VM vary by a third. */
    static Timings fastest(Linalg linalg, int n) {
        Timings a = time(linalg, n);
        Timings b = time(linalg, n);
        return new Timings(Math.min(a.gram(), b.gram()), Math.min(a.cholesky(), b.cholesky()), Math.min(a.inverse(), b.inverse()),
                Math.min(a.update(), b.update()));
    }

    /** A random n x n matrix: the first n rows of the layer's inputs. */
    static float[] square(int n) {
        return Arrays.copyOf(layer(n)[0], n * n);
    }

    /** Milliseconds of the product of the n x n matrix {@code a} with itself. */
    static double gemm(Linalg linalg, float[] a, int n) {
        long t0 = System.nanoTime();
        linalg.multiply(a, a, n, n, n);
        return (System.nanoTime() - t0) / 1e6;
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
