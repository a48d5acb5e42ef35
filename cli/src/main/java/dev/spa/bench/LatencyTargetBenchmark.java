package dev.spa.bench;

import dev.spa.groups.Analysis;
import dev.spa.importance.GroupScorer;
import dev.spa.importance.MagnitudeCriterion;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.latency.LatencyModels;
import dev.spa.latency.LatencyTargetSearch;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.Accuracy;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.LatencyComparison;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.SampleBatches;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.surgery.WeightUpdate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code bench/run-latency-targets}: every model in ../shared/models pruned (L2, global, no fine-tuning) to
 * {@code macs=0.5} (kept counts as selected, and rounded up to the kernels' measured steps), {@code latency=0.5} and
 * {@code latency=0.3}, the latency targets for each runtime (ONNX Runtime
 * CPU at 1 and 2 threads, batch 1 and 8) with the latency model measured for that runtime. Each result is timed
 * afresh against its original as the exporter times it (5 warm-up runs, 21 interleaved rounds: the ratio's median
 * and quartiles), with its MACs and, for the trained models with labelled data, top-1 accuracy. Prints a Markdown
 * table. Usage: LatencyTargetBenchmark SHARED [MODEL_NAME_FILTER]
 */
public final class LatencyTargetBenchmark {
    private static final double[] TARGETS = {0.5, 0.3};
    private static final int[][] RUNTIMES = {{1, 1}, {2, 1}, {1, 8}, {2, 8}};

    private LatencyTargetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args[0]);
        String filter = args.length > 1 ? args[1] : "";
        Path cache = Files.createTempDirectory("spa-latency-models");
        Map<String, QualityData> labelled = new HashMap<>();
        for (QualityData d : QualityData.all(shared)) {
            labelled.put(d.model(), d);
        }
        List<Path> models;
        try (Stream<Path> files = Files.list(shared.resolve("models"))) {
            models = files.filter(f -> f.toString().endsWith(".onnx") && f.getFileName().toString().contains(filter)).sorted().toList();
        }
        System.out.println("| model | runtime | original ms | macs=0.5: MACs, latency, top-1 | macs=0.5 on the kernels' steps"
                + " | latency=0.5: MACs, latency, top-1 | latency=0.3: MACs, latency, top-1 | latency model built in |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Path file : models) {
            String name = file.getFileName().toString().replace(".onnx", "");
            try {
                benchmark(name, file, labelled.get(name), cache);
            } catch (RuntimeException e) {
                System.out.println("| " + name + " | failed: " + e.getMessage().replace('|', '/').replace('\n', ' ') + " |");
            }
        }
    }

    private static void benchmark(String name, Path file, QualityData data, Path cache) throws Exception {
        Model model = new ModelLoader().load(file);
        Analysis analysis = Analysis.of(model);
        Pruner pruner = new Pruner(s -> { });
        Pruner.Scores scores = pruner.score(analysis, new GroupScorer(MagnitudeCriterion.l2(), GroupScorer.Aggregation.SUM,
                GroupScorer.Normalization.MEAN));
        SelectionOptions macs = new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of());
        Pruner.Result macsCut = pruner.cut(analysis, pruner.select(name, analysis, scores, macs), WeightUpdate.NONE);
        TopOne accuracy = data == null ? null : new TopOne(data, model);
        String original = accuracy == null ? "" : String.format(Locale.ROOT, " (original top-1 %.1f%%)", 100 * accuracy.of(model));
        for (int[] rt : RUNTIMES) {
            LatencyRuntime runtime = new LatencyRuntime(ExecutionProvider.CPU, rt[0], rt[1]);
            LatencyModels.Obtained latency = LatencyModels.obtain(analysis, runtime, LatencyModels.folder(cache), s -> { });
            List<String> cells = new ArrayList<>();
            double[] originalMs = new double[1];
            cells.add(cell(model, macsCut, runtime, accuracy, originalMs, null));
            Pruner.Result stepped = pruner.cut(analysis, pruner.select(name, analysis, scores, macs, latency.model()::step), WeightUpdate.NONE);
            cells.add(cell(model, stepped, runtime, accuracy, originalMs, null));
            for (double target : TARGETS) {
                LatencyTargetSearch.Outcome o = new LatencyTargetSearch(s -> { }).search(name, analysis, scores,
                        macs.withTarget(new Target(Target.Kind.LATENCY, target)), WeightUpdate.NONE, latency.model(), runtime);
                cells.add(cell(model, o.result(), runtime, accuracy, originalMs, o));
            }
            System.out.printf(Locale.ROOT, "| %s%s | %d thread%s, batch %d | %.2f | %s | %s | %s | %s | %.1f s |%n", name, original, rt[0],
                    rt[0] == 1 ? "" : "s", rt[1], originalMs[0], cells.get(0), cells.get(1), cells.get(2), cells.get(3),
                    latency.model().record().getBuildMs() / 1000.0);
        }
    }

    /** MACs kept, the ratio measured afresh (median, quartiles), accuracy; for a search, how many cuts it measured. */
    private static String cell(Model original, Pruner.Result r, LatencyRuntime runtime, TopOne accuracy, double[] originalMs,
                               LatencyTargetSearch.Outcome search) {
        LatencyComparison c = runtime.compare(original.toBytes(), r.pruned().toBytes(), 5, 21);
        originalMs[0] = c.beforeMs();
        String s = String.format(Locale.ROOT, "%.0f%%, **%.2f** (%.2f-%.2f)%s", 100 * r.after().macsRatio(r.before()), c.ratio(), c.ratioLow(),
                c.ratioHigh(), c.trusted() ? "" : " noisy");
        if (accuracy != null) {
            s += String.format(Locale.ROOT, ", %.1f%%", 100 * accuracy.of(r.pruned()));
        }
        if (search != null) {
            s += String.format(Locale.ROOT, " [%d cut%s%s]", search.steps().size(), search.steps().size() == 1 ? "" : "s", search.met() ? "" : ", not met");
        }
        return s;
    }

    /** Top-1 on a trained model's labelled test images, preprocessed as SOURCES.md says. */
    private static final class TopOne {
        private final SampleBatches test;
        private final long[] labels;

        TopOne(QualityData data, Model model) throws Exception {
            Path x = Files.createTempFile("spa-latency-eval", ".f32");
            QualityData.write(x, data.evalX());
            this.test = SampleBatches.fromFile(x, SampleBatches.sampleShape(model));
            this.labels = data.evalY();
            Files.delete(x);
        }

        double of(Model m) {
            return Accuracy.top1(m, test, labels);
        }
    }
}
