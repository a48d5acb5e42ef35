package dev.spa.bench;

import dev.spa.groups.Analysis;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.Compute;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.HessianSourceKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.policy.UpdateKind;
import dev.spa.pruning.Pruner;
import dev.spa.quality.ScoredPolicy;
import dev.spa.runtime.Accuracy;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.runtime.SampleBatches;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SPA's side of {@code bench/run-quality}: every trained model in ../shared with labelled data,
 * pruned with no fine-tuning at 1/2 and 1/4 of its MACs, global and local, by each criterion and
 * update (data-free and with calibration samples). Writes {@code spa.tsv} (one row per prune: the
 * accuracy on the evaluated images, SPA's own MACs count, the agreement its guard would measure),
 * the pruned models (for the independent MACs count) and the evaluated data (so the Torch-Pruning
 * side reads the very same inputs). Usage: QualityBenchmark SHARED OUTDIR
 */
public final class QualityBenchmark {
    static final double[] KEEP = {0.5, 0.25};

    /** One way of pruning: criterion, update and where OBSPA's Hessians come from (data-free, ood or calibration). */
    record Method(String name, CriterionKind criterion, UpdateKind update, HessianSourceKind source) {
        boolean calibrated() {
            return source == HessianSourceKind.CALIBRATION;
        }
    }

    static final List<Method> METHODS = List.of(
            new Method("l1", CriterionKind.L1, UpdateKind.NONE, HessianSourceKind.DATA_FREE),
            new Method("l2", CriterionKind.L2, UpdateKind.NONE, HessianSourceKind.DATA_FREE),
            new Method("l2 + OBSPA update, data-free", CriterionKind.L2, UpdateKind.OBSPA, HessianSourceKind.DATA_FREE),
            new Method("OBSPA data-free", CriterionKind.OBSPA, UpdateKind.MEASURED_BEST, HessianSourceKind.DATA_FREE),
            new Method("OBSPA synthetic images", CriterionKind.OBSPA, UpdateKind.MEASURED_BEST, HessianSourceKind.SYNTHETIC),
            new Method("OBSPA auto (default)", CriterionKind.OBSPA, UpdateKind.MEASURED_BEST, HessianSourceKind.AUTO),
            new Method("OBSPA calibration", CriterionKind.OBSPA, UpdateKind.MEASURED_BEST, HessianSourceKind.CALIBRATION));

    private QualityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out.resolve("models"));
        Files.createDirectories(out.resolve("data"));
        StringBuilder tsv = new StringBuilder("model\tkeep\tselection\tmethod\tspa_macs_ratio\taccuracy\tagreement\tfile\n");
        for (QualityData d : QualityData.all(shared)) {
            Path file = shared.resolve("models").resolve(d.model() + ".onnx");
            Model model = new ModelLoader().load(file);
            long[] sample = SampleBatches.sampleShape(model);
            Path calibration = out.resolve("data").resolve(d.model() + "_calibration.f32");
            QualityData.write(calibration, d.calibration());
            QualityData.write(out.resolve("data").resolve(d.model() + "_x.f32"), d.evalX());
            QualityData.write(out.resolve("data").resolve(d.model() + "_y.i64"), d.evalY());
            SampleBatches test = SampleBatches.fromFile(out.resolve("data").resolve(d.model() + "_x.f32"), sample);
            double original = Accuracy.top1(model, test, d.evalY());
            tsv.append(String.format(Locale.ROOT, "%s\t1\t-\toriginal\t1\t%.4f\t1\t%s%n", d.model(), original, file));
            System.err.printf("%s: original %.2f%% (%s)%n", d.model(), 100 * original, d.note());
            Analysis analysis = Analysis.of(model);
            for (Method m : METHODS) {
                for (boolean global : new boolean[] {true, false}) {
                    for (double keep : KEEP) {
                        Pruned p = prune(analysis, m, global, keep, d.statedMean(), d.statedStd(), calibration);
                        Pruner.Result r = p.result();
                        BuiltPolicy parts = p.parts();
                        double accuracy = Accuracy.top1(r.pruned(), test, d.evalY());
                        Agreement agreement = Agreement.measure(model, r.pruned(),
                                ReferenceInputs.of(model, m.calibrated() ? calibration : null, parts.inputStatistics()));
                        String name = String.format(Locale.ROOT, "%s_%s_%s_%s.onnx", d.model(), keep, global ? "global" : "local",
                                m.name().replaceAll("[^A-Za-z0-9]+", "-"));
                        Path pruned = out.resolve("models").resolve(name);
                        r.pruned().write(pruned);
                        tsv.append(String.format(Locale.ROOT, "%s\t%s\t%s\t%s\t%.4f\t%.4f\t%.4f\t%s%n", d.model(), keep,
                                global ? "global" : "local", m.name(), r.after().macsRatio(r.before()), accuracy, agreement.score(), pruned));
                        System.err.printf(Locale.ROOT, "  %-32s %-6s %.2f: %.1f%% (MACs %.1f%%, agreement %.3f)%n", m.name(),
                                global ? "global" : "local", keep, 100 * accuracy, 100 * r.after().macsRatio(r.before()), agreement.score());
                    }
                }
            }
        }
        Files.writeString(out.resolve("spa.tsv"), tsv.toString());
        Files.writeString(out.resolve("fidelity.tsv"), fidelity(shared, out));
    }

    record Pruned(Pruner.Result result, BuiltPolicy parts) {
    }

    /**
     * One method at one target, with the input statistics a user would state (null: the model's own) and calibration
     * samples; auto's candidates are judged on the reference inputs the platform's quality guard uses.
     */
    static Pruned prune(Analysis analysis, Method m, boolean global, double keep, String mean, String std, Path calibration) {
        SelectionOptions options = new SelectionOptions(Target.parse("macs=" + keep), global, 1, 1, Set.of());
        PruningPolicy policy = PruningPolicy.builder(m.criterion(), options).update(m.update())
                .source(m.source(), m.calibrated() ? calibration : null)
                .inputStatistics(mean == null ? null : InputStatistics.stated(mean, std)).build();
        ReferenceInputs reference = ReferenceInputs.of(analysis.model(), policy.calibration(), BuiltPolicy.inputStatistics(policy, analysis));
        ScoredPolicy scored = ScoredPolicy.of("benchmark", analysis, policy, Compute.cpu(), reference, s -> { });
        Pruner pruner = new Pruner(s -> { });
        Pruner.Result r = pruner.cut(analysis, pruner.select("benchmark", analysis, scored.scores(), options),
                scored.parts().update().forLastCut());
        return new Pruned(r, scored.parts());
    }

    /** The unlabelled models: relative output error against the original on their photos (or synthetic inputs). */
    private static String fidelity(Path shared, Path out) throws Exception {
        StringBuilder tsv = new StringBuilder("model\tkeep\tselection\tmethod\tspa_macs_ratio\trelative_error\tinputs\n");
        for (FidelityData d : FidelityData.all(shared)) {
            Model model = new ModelLoader().load(shared.resolve("models").resolve(d.model() + ".onnx"));
            ReferenceInputs reference;
            if (d.inputs() != null) {
                reference = d.reference(model, out.resolve("data").resolve(d.model() + "_photos.f32"));
            } else {
                reference = ReferenceInputs.synthetic(model, InputStatistics.DEFAULT);
            }
            System.err.printf("%s: %s%n", d.model(), d.note());
            Analysis analysis = Analysis.of(model);
            for (Method m : METHODS) {
                if (m.calibrated()) {
                    continue; // no calibration samples for these models
                }
                for (boolean global : new boolean[] {true, false}) {
                    for (double keep : KEEP) {
                        Pruner.Result r = prune(analysis, m, global, keep, d.statedMean(), d.statedStd(), null).result();
                        Agreement a = Agreement.measure(model, r.pruned(), reference);
                        tsv.append(String.format(Locale.ROOT, "%s\t%s\t%s\t%s\t%.4f\t%.4f\t%s%n", d.model(), keep, global ? "global" : "local",
                                m.name(), r.after().macsRatio(r.before()), a.relativeError(), d.note()));
                        System.err.printf(Locale.ROOT, "  %-32s %-6s %.2f: relative output error %.3f (MACs %.1f%%)%n", m.name(),
                                global ? "global" : "local", keep, a.relativeError(), 100 * r.after().macsRatio(r.before()));
                    }
                }
            }
        }
        return tsv.toString();
    }
}
