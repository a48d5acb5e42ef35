package dev.spa.bench;

import dev.spa.groups.Analysis;
import dev.spa.ir.ModelLoader;
import dev.spa.linalg.Availability;
import dev.spa.linalg.CpuLinalg;
import dev.spa.linalg.Linalg;
import dev.spa.linalg.cuda.CudaLinalg;
import dev.spa.linalg.cuda.CudaProbe;
import dev.spa.obspa.ObsSolver;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.Compute;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.surgery.UpdatedTensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The GPU check and benchmark, for a machine with an NVIDIA GPU (bench/gpu/run-on-gpu runs it there):
 * <ol>
 * <li>every CUDA path against the CPU path on fresh random inputs, relative (Frobenius) error below
 *     1e-4, at each size;</li>
 * <li>both paths timed side by side for one layer's OBSPA linear algebra (Gram of 2048 rows,
 *     Cholesky, inverse, OBS update of 512 outputs losing half the columns);</li>
 * <li>OBSPA data-free scoring and update of a whole model (ResNet-18) to half its MACs, on each path.</li>
 * </ol>
 * Prints Markdown tables; exits 1 when a check fails, 2 when there is no GPU.
 * Usage: GpuCheck [--model FILE.onnx] [SIZES...]
 */
public final class GpuCheck {
    private static final double TOLERANCE = 1e-4;

    private GpuCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path model = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--model")) {
                model = Path.of(args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        int[] sizes = LinalgBenchmark.sizes(rest.toArray(String[]::new));
        Availability probe = CudaProbe.result();
        System.out.println("GPU: " + probe.description());
        System.out.println("CPU: " + Runtime.getRuntime().availableProcessors() + " cores; Java " + System.getProperty("java.version"));
        if (!probe.available()) {
            System.exit(2);
        }
        boolean passed;
        try (CudaLinalg cuda = new CudaLinalg(0, 8L << 30)) {
            Linalg cpu = new CpuLinalg();
            passed = check(cpu, cuda, sizes);
            timeSideBySide(cpu, cuda, sizes);
            if (model != null && Files.isRegularFile(model)) {
                endToEnd(model, cuda);
            } else {
                System.out.println("\n(no --model given, or not found: the end-to-end run is skipped)");
            }
            System.out.println("\nCUDA operations that fell back to the CPU (device memory budget): " + cuda.fallbacks());
        }
        System.exit(passed ? 0 : 1);
    }

    private static boolean check(Linalg cpu, Linalg cuda, int[] sizes) {
        System.out.println("\n### CUDA against CPU, relative error (fresh random inputs; pass below " + TOLERANCE + ")\n");
        System.out.println("| n | Gram | cross moment | multiply | Cholesky | inverse | OBS update | pass |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        boolean all = true;
        for (int n : sizes) {
            Random r = new Random(1000L + n);
            int rows = LinalgBenchmark.ROWS;
            float[] x = gaussian(r, rows * n);
            float[] y = gaussian(r, rows * n);
            float[] w = gaussian(r, LinalgBenchmark.OUTPUTS * n);
            float[] hCpu = new float[n * n];
            float[] hGpu = new float[n * n];
            cpu.accumulateGram(hCpu, n, x, rows);
            cuda.accumulateGram(hGpu, n, x, rows);
            double gram = error(hGpu, hCpu);
            float[] cCpu = new float[n * n];
            float[] cGpu = new float[n * n];
            cpu.accumulateCross(cCpu, n, x, y, rows);
            cuda.accumulateCross(cGpu, n, x, y, rows);
            double cross = error(cGpu, cCpu);
            LinalgBenchmark.dampen(hCpu, n);
            double multiply = error(cuda.multiply(w, hCpu, LinalgBenchmark.OUTPUTS, n, n), cpu.multiply(w, hCpu, LinalgBenchmark.OUTPUTS, n, n));
            float[] lCpu = cpu.cholesky(hCpu, n);
            double cholesky = error(cuda.cholesky(hCpu, n), lCpu);
            float[] invCpu = cpu.inverseFromCholesky(lCpu, n);
            double inverse = error(cuda.inverseFromCholesky(lCpu, n), invCpu);
            int[] removed = LinalgBenchmark.everyOtherColumn(n);
            float[] wCpu = w.clone();
            float[] wGpu = w.clone();
            new ObsSolver(cpu, 0.01).compensate(wCpu, LinalgBenchmark.OUTPUTS, n, invCpu, removed);
            new ObsSolver(cuda, 0.01).compensate(wGpu, LinalgBenchmark.OUTPUTS, n, invCpu, removed);
            double update = error(wGpu, wCpu);
            boolean pass = Math.max(Math.max(Math.max(gram, cross), Math.max(multiply, cholesky)), Math.max(inverse, update)) < TOLERANCE;
            all &= pass;
            System.out.printf("| %d | %.1e | %.1e | %.1e | %.1e | %.1e | %.1e | %s |%n", n, gram, cross, multiply, cholesky, inverse, update,
                    pass ? "yes" : "NO");
        }
        return all;
    }

    private static void timeSideBySide(Linalg cpu, Linalg cuda, int[] sizes) {
        System.out.println("\n### One layer's OBSPA linear algebra, ms (second of two runs; Gram of 2048 rows, OBS update of 512 outputs)\n");
        System.out.println("| n | backend | Gram | Cholesky | inverse | OBS update | total | CPU / CUDA |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int n : sizes) {
            LinalgBenchmark.Timings c = secondRun(cpu, n);
            LinalgBenchmark.Timings g = secondRun(cuda, n);
            print(n, "cpu", c, "");
            print(n, "cuda", g, String.format("%.1fx", c.total() / g.total()));
        }
    }

    /** The first run pays for start-up (JIT, CUDA context and library loading, first allocations). */
    private static LinalgBenchmark.Timings secondRun(Linalg linalg, int n) {
        LinalgBenchmark.time(linalg, n);
        return LinalgBenchmark.time(linalg, n);
    }

    private static void print(int n, String backend, LinalgBenchmark.Timings t, String speedup) {
        System.out.printf("| %d | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %s |%n", n, backend, t.gram(), t.cholesky(), t.inverse(), t.update(),
                t.total(), speedup);
    }

    private static void endToEnd(Path model, Linalg cuda) {
        System.out.println("\n### " + model.getFileName() + ": OBSPA data-free scoring and update to half the MACs (global, round to 8), s\n");
        System.out.println("| backend | analyse | score, select, update | MACs kept |");
        System.out.println("|---|---|---|---|");
        for (Linalg linalg : new Linalg[] {new CpuLinalg(), cuda, new CpuLinalg(), cuda}) {
            long t0 = System.nanoTime();
            Analysis analysis = Analysis.of(new ModelLoader().load(model));
            long t1 = System.nanoTime();
            SelectionOptions selection = new SelectionOptions(Target.parse("macs=0.5"), true, 1, 8, Set.of());
            BuiltPolicy parts = BuiltPolicy.build(PruningPolicy.of(CriterionKind.OBSPA, selection), analysis, new Compute(linalg, ExecutionProvider.CPU), s -> { });
            Pruner.Planned planned = new Pruner(s -> { }).plan(model.getFileName().toString(), analysis, parts.scorer(), selection);
            UpdatedTensors.of(analysis, planned.plan(), parts.update());
            long t2 = System.nanoTime();
            System.out.printf("| %s | %.1f | %.1f | %.1f%% |%n", linalg.name(), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    100.0 * planned.after().macs() / planned.before().macs());
        }
        System.out.println("\n(each backend twice: the first run of each pays for JIT and CUDA start-up)");
    }

    private static float[] gaussian(Random r, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static double error(float[] actual, float[] expected) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[i] - expected[i];
            num += d * d;
            den += (double) expected[i] * expected[i];
        }
        return Math.sqrt(num / Math.max(den, Double.MIN_NORMAL));
    }
}
