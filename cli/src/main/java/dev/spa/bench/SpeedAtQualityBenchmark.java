package dev.spa.bench;

import dev.spa.groups.Analysis;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.latency.LatencyModels;
import dev.spa.latency.LatencyTargetSearch;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.Compute;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.LatencyComparison;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code bench/run-speed-quality}: at the same quality, is a latency target faster than a MACs target? The trained
 * models of ../shared that take long enough to time (the two detectors, on their photos; quality is the relative
 * output error against the original), pruned by the platform's default policy (OBSPA data-free, global, the stated
 * input statistics) to a ladder of MACs targets (counts rounded to the kernels' steps, the platform's default) and of
 * latency targets on one runtime; each result timed afresh against the original (5 warm-up runs, 21 interleaved
 * rounds) and its error measured. Then each latency point against the MACs ladder interpolated to the same error.
 * Prints Markdown. Usage: SpeedAtQualityBenchmark SHARED THREADS BATCH
 */
public final class SpeedAtQualityBenchmark {
    private static final double[] MACS = {0.8, 0.65, 0.5, 0.35};
    private static final double[] LATENCY = {0.8, 0.65, 0.5, 0.35};

    private SpeedAtQualityBenchmark() {
    }

    /** One pruned model: what was asked, MACs kept, latency ratio measured afresh (median, quartiles), output error. */
    private record Point(String asked, double macs, LatencyComparison latency, double error) {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args[0]);
        LatencyRuntime runtime = new LatencyRuntime(ExecutionProvider.CPU, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Path cache = Files.createTempDirectory("spa-latency-models");
        System.out.println("Runtime: " + runtime.describe() + ".\n");
        System.out.println("| model | target | MACs kept | latency ratio (quartiles) | relative output error |");
        System.out.println("|---|---|---|---|---|");
        List<String> verdicts = new ArrayList<>();
        for (FidelityData d : FidelityData.all(shared)) {
            if (d.inputs() == null) {
                continue; // no real inputs to measure quality on
            }
            Model model = new ModelLoader().load(shared.resolve("models").resolve(d.model() + ".onnx"));
            Path photos = Files.createTempFile("spa-photos", ".f32");
            ReferenceInputs reference = d.reference(model, photos);
            Analysis analysis = Analysis.of(model);
            PruningPolicy policy = PruningPolicy.builder(CriterionKind.OBSPA, new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of()))
                    .inputStatistics(InputStatistics.stated(d.statedMean(), d.statedStd())).build();
            BuiltPolicy parts = BuiltPolicy.build(policy, analysis, Compute.cpu(), s -> { });
            Pruner pruner = new Pruner(s -> { });
            Pruner.Scores scores = pruner.score(analysis, parts.scorer());
            LatencyModels.Obtained latency = LatencyModels.obtain(analysis, runtime, LatencyModels.folder(cache), s -> { });
            List<Point> byMacs = new ArrayList<>();
            for (double keep : MACS) {
                SelectionOptions o = policy.selection().withTarget(Target.parse("macs=" + keep));
                Pruner.Result r = pruner.cut(analysis, pruner.select(d.model(), analysis, scores, o, latency.model()::step), parts.update());
                byMacs.add(point("macs=" + keep + ", kernel steps", model, r, runtime, reference));
            }
            List<Point> byLatency = new ArrayList<>();
            for (double target : LATENCY) {
                SelectionOptions o = policy.selection().withTarget(new Target(Target.Kind.LATENCY, target));
                LatencyTargetSearch.Outcome search = new LatencyTargetSearch(s -> { }).search(d.model(), analysis, scores, o, parts.update(),
                        latency.model(), runtime);
                byLatency.add(point("latency=" + target + (search.met() ? "" : " (not met)"), model, search.result(), runtime, reference));
            }
            Files.delete(photos);
            for (Point p : byMacs) {
                row(d.model(), p);
            }
            for (Point p : byLatency) {
                row(d.model(), p);
                verdicts.add(verdict(d.model(), p, byMacs));
            }
        }
        System.out.println();
        verdicts.forEach(System.out::println);
    }

    private static Point point(String asked, Model original, Pruner.Result r, LatencyRuntime runtime, ReferenceInputs reference) {
        LatencyComparison c = runtime.compare(original.toBytes(), r.pruned().toBytes(), 5, 21);
        return new Point(asked, r.after().macsRatio(r.before()), c, Agreement.measure(original, r.pruned(), reference).relativeError());
    }

    private static void row(String model, Point p) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f%% | %.2f (%.2f-%.2f)%s | %.3f |%n", model, p.asked(), 100 * p.macs(), p.latency().ratio(),
                p.latency().ratioLow(), p.latency().ratioHigh(), p.latency().trusted() ? "" : " noisy", p.error());
    }

    /**
     * A latency point against the MACs ladder: beaten when some MACs target is at least as accurate and faster (outside
     * the quartiles' overlap is not asked: the medians decide); then, where its error lies within the ladder's, the
     * ladder's latency at that error (linear between the two neighbours in error).
     */
    private static String verdict(String model, Point p, List<Point> byMacs) {
        String head = String.format(Locale.ROOT, "- %s, %s: error %.3f at latency %.2f", model, p.asked(), p.error(), p.latency().ratio());
        Point beater = byMacs.stream().filter(m -> m.error() <= p.error() && m.latency().ratio() < p.latency().ratio())
                .min(Comparator.comparingDouble(m -> m.latency().ratio())).orElse(null);
        String pareto = beater == null ? "no MACs target is both as accurate and faster"
                : String.format(Locale.ROOT, "BEATEN by %s (error %.3f at latency %.2f)", beater.asked(), beater.error(), beater.latency().ratio());
        List<Point> ladder = byMacs.stream().sorted(Comparator.comparingDouble(Point::error)).toList();
        for (int i = 0; i + 1 < ladder.size(); i++) {
            Point a = ladder.get(i);
            Point b = ladder.get(i + 1);
            if (p.error() >= a.error() && p.error() <= b.error()) {
                double t = b.error() == a.error() ? 0 : (p.error() - a.error()) / (b.error() - a.error());
                double macsRatio = a.latency().ratio() + t * (b.latency().ratio() - a.latency().ratio());
                return String.format(Locale.ROOT, "%s; %s; the MACs targets reach that error at latency %.2f", head, pareto, macsRatio);
            }
        }
        return String.format(Locale.ROOT, "%s; %s; outside the MACs targets' errors (%.3f-%.3f)", head, pareto, ladder.get(0).error(),
                ladder.get(ladder.size() - 1).error());
    }
}
