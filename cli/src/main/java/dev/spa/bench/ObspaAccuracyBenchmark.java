package dev.spa.bench;

import dev.spa.cost.PlanCost;
import dev.spa.groups.Analysis;
import dev.spa.importance.BatchNormScaleCriterion;
import dev.spa.importance.Criterion;
import dev.spa.importance.GroupScorer;
import dev.spa.importance.MagnitudeCriterion;
import dev.spa.ir.ModelLoader;
import dev.spa.linalg.Linalg;
import dev.spa.linalg.LinalgBackend;
import dev.spa.obspa.CapturedHessians;
import dev.spa.obspa.DataFreeHessians;
import dev.spa.obspa.HessianSource;
import dev.spa.obspa.Obspa;
import dev.spa.obspa.ObspaCriterion;
import dev.spa.obspa.ObspaUpdate;
import dev.spa.obspa.SequentialRefit;
import dev.spa.obspa.SyntheticSampleCount;
import dev.spa.policy.PruningPolicy;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.Accuracy;
import dev.spa.runtime.ClassBalancedImages;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.SampleBatches;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.surgery.WeightUpdate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Test accuracy of the trained digits model after pruning with no fine-tuning, for every channel
 * choice (L1, L2, BN scale, OBSPA from calibration data, from synthetic images (what --ood draws), data-free) with and
 * without a weight update, at 1.5x, 2x, 4x and 8x MACs reduction, local and global. Prints a
 * Markdown table and writes a CSV and an SVG plot. Usage: ObspaAccuracyBenchmark MODELS DATA OUTDIR
 */
public final class ObspaAccuracyBenchmark {
    static final double[] KEEP_MACS = {1 / 1.5, 0.5, 0.25, 0.125};
    static final String[] KEEP_LABELS = {"1.5x", "2x", "4x", "8x"};

    private ObspaAccuracyBenchmark() {
    }

    /** One row: how channels are chosen and how kept weights are updated. */
    record Method(String name, Supplier<Criterion> criterion, Supplier<WeightUpdate> update) {
    }

    public static void main(String[] args) throws IOException {
        Path models = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Path outDir = Path.of(args[2]);
        Files.createDirectories(outDir);
        Path modelFile = models.resolve("digits_mobilenet.onnx");
        Analysis analysis = Analysis.of(new ModelLoader().load(modelFile));
        long[] sample = SampleBatches.sampleShape(analysis.model());
        SampleBatches calibration = SampleBatches.fromFile(data.resolve("digits_calib_x.f32"), sample);
        SampleBatches test = SampleBatches.fromFile(data.resolve("digits_test_x.f32"), sample);
        long[] labels = SampleBatches.readLabels(data.resolve("digits_test_y.i64"));
        // the input's expected statistics, as a user would state them (here: those of the calibration pixels)
        InputStatistics stated = InputStatistics.stated(new double[] {0.30}, new double[] {0.38});
        // as --ood draws them: as many as the layers need, class-balanced
        ClassBalancedImages.Drawn noise = ClassBalancedImages.draw(analysis.model(), SyntheticSampleCount.of(analysis, 0), stated, 7,
                new PlanCost(analysis).original().macs());
        Linalg linalg = LinalgBackend.cpu().linalg(); // what the CLI and the scorer use on a CPU

        Map<String, Obspa> sources = new LinkedHashMap<>();
        sources.put("calibration", obspa(analysis, new CapturedHessians(calibration, "calibration", ExecutionProvider.CPU), linalg));
        sources.put("ood", obspa(analysis, new CapturedHessians(noise.samples(), SampleBatches.describeSynthetic(sample) + noise.note(),
                ExecutionProvider.CPU), linalg));
        for (double rho : new double[] {0, 0.5, 0.9}) {
            sources.put("data-free covariances ρ=" + rho, obspa(analysis, new DataFreeHessians(stated, rho, true), linalg));
        }
        sources.put("data-free independent ρ=0.5", obspa(analysis, new DataFreeHessians(stated, 0.5, false), linalg));

        List<Method> methods = new ArrayList<>();
        methods.add(new Method("L1", MagnitudeCriterion::l1, () -> WeightUpdate.NONE));
        methods.add(new Method("L2", MagnitudeCriterion::l2, () -> WeightUpdate.NONE));
        methods.add(new Method("BN scale (no BN: L2)", BatchNormScaleCriterion::new, () -> WeightUpdate.NONE));
        methods.add(new Method("L2 + update (data-free covariances ρ=0.5)", MagnitudeCriterion::l2,
                () -> new ObspaUpdate(sources.get("data-free covariances ρ=0.5"))));
        methods.add(new Method("L2 + sequential update (calibration)", MagnitudeCriterion::l2,
                () -> new SequentialRefit(sources.get("calibration"), analysis.model(), calibration, linalg, ExecutionProvider.CPU)));
        for (String source : sources.keySet()) {
            Obspa o = sources.get(source);
            methods.add(new Method("OBSPA " + source + ", no update", () -> new ObspaCriterion(o, ObspaCriterion.Order.GREEDY),
                    () -> WeightUpdate.NONE));
            methods.add(new Method("OBSPA " + source + ", update", () -> new ObspaCriterion(o, ObspaCriterion.Order.GREEDY),
                    () -> new ObspaUpdate(o)));
            if (source.equals("calibration") || source.startsWith("data-free covariances ρ=0.5")) {
                // the greedy order's evidence: the same source and update with each channel scored alone
                methods.add(new Method("OBSPA " + source + ", independent scores, update",
                        () -> new ObspaCriterion(o, ObspaCriterion.Order.INDEPENDENT), () -> new ObspaUpdate(o)));
            }
            SampleBatches samples = source.equals("calibration") ? calibration : source.equals("ood") ? noise.samples() : null;
            if (samples != null) {
                methods.add(new Method("OBSPA " + source + ", sequential update", () -> new ObspaCriterion(o, ObspaCriterion.Order.GREEDY),
                        () -> new SequentialRefit(o, analysis.model(), samples, linalg, ExecutionProvider.CPU)));
            }
        }

        double original = Accuracy.top1(analysis.model(), test, labels);
        StringBuilder table = new StringBuilder();
        StringBuilder csv = new StringBuilder("method,selection,macs_reduction,accuracy\n");
        table.append(String.format("Original: %.2f%% top-1 on %d test images.%n%n", 100 * original, labels.length));
        table.append("| channel choice, weight update |");
        for (String scope : new String[] {"local", "global"}) {
            for (String k : KEEP_LABELS) {
                table.append(' ').append(k).append(' ').append(scope).append(" |");
            }
        }
        table.append('\n').append("|---|").append("---|".repeat(2 * KEEP_LABELS.length)).append('\n');
        Map<String, double[]> globalCurves = new LinkedHashMap<>();
        for (Method m : methods) {
            table.append("| ").append(m.name()).append(" |");
            double[] curve = new double[KEEP_MACS.length];
            for (boolean global : new boolean[] {false, true}) {
                for (int t = 0; t < KEEP_MACS.length; t++) {
                    SelectionOptions options = new SelectionOptions(Target.parse("macs=" + KEEP_MACS[t]), global, 1, 1, Set.of());
                    GroupScorer scorer = new GroupScorer(m.criterion().get(), GroupScorer.Aggregation.SUM,
                            m.name().startsWith("OBSPA") ? GroupScorer.Normalization.NONE : GroupScorer.Normalization.MEAN);
                    Pruner.Result r = new Pruner(s -> { }).prune("digits", analysis, scorer, options, m.update().get());
                    double acc = Accuracy.top1(r.pruned(), test, labels);
                    table.append(String.format(" %.1f |", 100 * acc));
                    csv.append(String.format("\"%s\",%s,%s,%.4f%n", m.name(), global ? "global" : "local", KEEP_LABELS[t], acc));
                    if (global) {
                        curve[t] = acc;
                    }
                }
            }
            globalCurves.put(m.name(), curve);
            table.append('\n');
            System.err.println("done: " + m.name());
        }
        System.out.print(table);
        Files.writeString(outDir.resolve("obspa-accuracy.md"), table.toString());
        Files.writeString(outDir.resolve("obspa-accuracy.csv"), csv.toString());
        Files.writeString(outDir.resolve("obspa-accuracy.svg"), AccuracyPlot.svg(globalCurves, KEEP_LABELS, original,
                "digits_mobilenet: top-1 accuracy after global pruning, no fine-tuning"));
    }

    private static Obspa obspa(Analysis analysis, HessianSource source, Linalg linalg) {
        return new Obspa(analysis, source, linalg, PruningPolicy.DEFAULT_DAMPENING, s -> { });
    }
}
