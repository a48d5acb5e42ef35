package dev.spa.bench;

import dev.spa.groups.Analysis;
import dev.spa.importance.GroupScorer;
import dev.spa.importance.MagnitudeCriterion;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.OnnxRunner;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * One row of the engine benchmark for one model (run in a fresh JVM per model so peak memory is
 * the model's own): groups, prunable share, analysis and pruning time at 2x MACs reduction (global,
 * L2, kept counts rounded to multiples of 8), peak heap, parameters and MACs before/after, ONNX Runtime CPU latency at batch 1 and 8.
 * Prints a Markdown table row; {@code bench/run-engine-benchmark} runs it over ../shared/models.
 */
public final class EngineBenchmark {
    /** Kept channel counts are rounded up to multiples of 8: ONNX Runtime's CPU kernels block channels by 8. */
    private static final int ROUND_TO = 8;
    private EngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("--header")) {
            System.out.println("| model | groups (prunable) | params in prunable groups | analyse ms | prune ms | peak heap MB (x model size) | params before → after | MACs before → after | ORT ms b1 before → after | ORT ms b8 before → after |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            return;
        }
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long t0 = System.nanoTime();
        Model model = new ModelLoader().load(file);
        Analysis analysis = Analysis.of(model);
        long t1 = System.nanoTime();
        GroupScorer scorer = new GroupScorer(MagnitudeCriterion.l2(), GroupScorer.Aggregation.SUM, GroupScorer.Normalization.MEAN);
        Pruner.Result r = new Pruner(s -> { }).prune(file.getFileName().toString(), analysis, scorer,
                new SelectionOptions(Target.parse("macs=0.5"), true, 1, ROUND_TO, Set.of()));
        byte[] pruned = r.pruned().toBytes();
        long t2 = System.nanoTime();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        long size = Files.size(file);
        byte[] original = Files.readAllBytes(file);
        double[] lat = new double[4];
        int k = 0;
        for (int batch : new int[] {1, 8}) {
            for (byte[] m : new byte[][] {original, pruned}) {
                try (OnnxRunner runner = new OnnxRunner(m, 2)) {
                    lat[k++] = runner.latencyMillis(batch, 3, batch == 1 ? 20 : 10);
                }
            }
        }
        System.out.printf("| %s | %d (%d) | %.1f%% | %d | %d | %.0f (%.1fx) | %.3fM → %.3fM (%.1f%%) | %.1fM → %.1fM (%.1f%%) | %.2f → %.2f | %.2f → %.2f |%n",
                file.getFileName(), analysis.groups().size(), analysis.prunableGroups().size(),
                100.0 * analysis.parametersInPrunableGroups() / Math.max(1, r.before().params()),
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, peak / 1e6, (double) peak / size,
                r.before().params() / 1e6, r.after().params() / 1e6, 100 * r.after().paramsRatio(r.before()),
                r.before().macs() / 1e6, r.after().macs() / 1e6, 100 * r.after().macsRatio(r.before()),
                lat[0], lat[1], lat[2], lat[3]);
    }
}
