package dev.spa.cli;

import dev.spa.SpaException;
import dev.spa.groups.Analysis;
import dev.spa.importance.BatchNormScaleCriterion;
import dev.spa.importance.Criterion;
import dev.spa.ir.InputShapes;
import dev.spa.ir.Model;
import dev.spa.ir.ModelFiles;
import dev.spa.ir.ModelLoader;
import dev.spa.latency.LatencyModels;
import dev.spa.latency.LatencyTargetSearch;
import dev.spa.manifest.ManifestWriter;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.PruningPolicy;
import dev.spa.pruning.Pruner;
import dev.spa.quality.AgreementSearch;
import dev.spa.quality.ScoredPolicy;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.select.TargetCheck;
import dev.spa.select.TargetSpec;
import dev.spa.text.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code spa prune model.onnx -o out.onnx --criterion l1|l2|random|bn [--ratio R | --target macs=F |
 * --target params=F] [--global] [--round-to N] [--min-channels N] [--exclude a,b] [--aggregate sum|mean|max]
 * [--normalize mean|max|sum|none] [--seed S] [--backend auto|cpu|cuda|java] [--capture auto|cpu|cuda] [--gpu-memory-mb N]};
 * the plan JSON goes beside the output.
 */
final class PruneCommand {
    private PruneCommand() {
    }

    /** What the command line asks: the files, the target and how it is reached, the policy, the stated shapes. */
    private record Request(Args args, Path input, Path output, TargetSpec spec, SelectionOptions options, PruningPolicy policy,
                           boolean roundToKernels, InputShapes stated) {
    }

    /** The cut made, how close it stays to the original, and what a search has to say of it (null: nothing). */
    private record Outcome(Pruner.Result result, Agreement agreement, String searchNote, String latencyNote, long checkMillis) {
    }

    static void run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Request q = request(argv);
        long t0 = System.nanoTime();
        err.println("loading " + q.input());
        Model loaded = new ModelLoader((long) q.args().number("max-size", ModelLoader.DEFAULT_SIZE_LIMIT)).load(q.input());
        Model model = q.stated().applyTo(loaded); // priced, captured and verified at the stated shapes; handed back with its own
        err.println("analysing " + model.graph().nodes().size() + " nodes");
        Analysis analysis = Analysis.of(model);
        String name = q.input().getFileName().toString();
        ReferenceInputs reference = ReferenceInputs.of(model, q.policy().calibration(), BuiltPolicy.inputStatistics(q.policy(), analysis));
        ScoredPolicy scored = ScoredPolicy.of(name, analysis, q.policy(), ComputeOptions.compute(q.args(), err), reference, err::println);
        long t1 = System.nanoTime() - scored.scores().millis() * 1_000_000; // the scores' time is reported on its own
        Outcome o = cut(q, name, analysis, scored, reference, err);
        Pruner.Result r = o.result();
        Criterion criterion = scored.parts().scorer().criterion();
        if (criterion instanceof BatchNormScaleCriterion bn && bn.groupsWithoutBatchNorm() > 0) {
            err.println("note: " + bn.groupsWithoutBatchNorm() + " groups have no BatchNormalization (folded into Conv?); they were scored by L2");
        }
        String missed = o.searchNote() != null ? o.searchNote() : TargetCheck.missed(q.spec().cost(), r.before(), r.after(), analysis);
        if (missed != null && !q.args().has("best-effort")) {
            // an exit status a registry hook or a script can act on, and no file it could take for the model it asked for
            throw new SpaException(missed + "; nothing was written (--best-effort writes the closest cut)");
        }
        Model handedBack = q.stated().handedBack(r.pruned(), loaded);
        // a model that came with external data goes back with it (a .data file beside the .onnx), as does one over 2 GiB
        ModelFiles inputFiles = ModelFiles.of(q.input());
        handedBack.write(q.output(), inputFiles.hasExternalData() || handedBack.tensorBytes() > Model.MAX_INLINE_BYTES);
        Path planFile = planPath(q.output());
        Files.writeString(planFile, ManifestWriter.json(r.record()));
        long t2 = System.nanoTime();

        Table t = new Table("", "before", "after", "after/before");
        t.row("parameters", Table.millions(r.before().params()), Table.millions(r.after().params()), Table.percent(r.after().paramsRatio(r.before())));
        t.row("MACs", Table.millions(r.before().macs()), Table.millions(r.after().macs()), Table.percent(r.after().macsRatio(r.before())));
        ModelFiles outputFiles = ModelFiles.of(q.output());
        t.row("file bytes", inputFiles.bytes(), outputFiles.bytes(), Table.percent((double) outputFiles.bytes() / inputFiles.bytes()));
        out.print(t.render());
        out.printf("%ngroups pruned: %d of %d prunable; criterion %s, %s, %s; floor: every group keeps at least %s of its channels%n",
                r.record().getGroupsCount(), analysis.prunableGroups().size(), criterion.name(), q.spec(),
                q.options().global() ? "global" : "local", Table.percent(q.options().floor()));
        if (missed != null) {
            out.println("warning: " + missed);
        }
        // the check (both models run on the reference inputs) is not pruning work: said apart so the two are not confused
        out.printf("time: analyse %d ms, score %d ms, select %d ms, surgery %d ms, quality check %d ms, total %d ms%n", (t1 - t0) / 1_000_000,
                r.scoreMillis(), r.selectMillis(), r.surgeryMillis(), o.checkMillis(), (t2 - t0) / 1_000_000);
        describe(out, q, model, scored.parts(), o);
        out.println("pruned model: " + q.output());
        out.println("plan: " + planFile);
    }

    private static Request request(String[] argv) {
        Set<String> valued = new HashSet<>(Set.of("o", "output", "criterion", "ratio", "target", "round-to", "min-channels",
                "exclude", "max-size", "floor", "input-shape"));
        valued.addAll(PolicyOptions.VALUED);
        valued.addAll(ComputeOptions.VALUED);
        valued.addAll(LatencyOptions.VALUED);
        Set<String> flags = new HashSet<>(Set.of("global", "best-effort"));
        flags.addAll(PolicyOptions.FLAGS);
        Args args = new Args(argv, 1, valued, flags);
        Path input = Path.of(args.positional(0, "model file (spa prune model.onnx -o out.onnx ...)"));
        String output = args.get("o", args.get("output", null));
        if (output == null) {
            throw new SpaException("missing output file: -o out.onnx");
        }
        TargetSpec spec = target(args);
        Target target = spec.cost();
        Set<String> exclude = new HashSet<>();
        if (args.has("exclude")) {
            exclude.addAll(Arrays.asList(args.get("exclude", "").split(",")));
        }
        boolean roundToKernels = args.get("round-to", "1").equals("kernels");
        if (roundToKernels && (spec.hasAgreement() || target.kind() == Target.Kind.LATENCY)) {
            throw new SpaException("--round-to kernels rounds a macs=, params= or ratio target's counts; a latency target rounds to the"
                    + " kernels' steps by itself");
        }
        SelectionOptions options = new SelectionOptions(target, args.has("global"), (int) args.number("min-channels", 1),
                roundToKernels ? 1 : (int) args.number("round-to", 1), exclude, args.number("floor", SelectionOptions.DEFAULT_FLOOR));
        return new Request(args, input, Path.of(output), spec, options, PolicyOptions.policy(args, options), roundToKernels,
                InputShapes.parse(args.all("input-shape")));
    }

    /** The cut for the target: the deepest that keeps an agreement, one measured against a latency, or one selected. */
    private static Outcome cut(Request q, String name, Analysis analysis, ScoredPolicy scored, ReferenceInputs reference, PrintStream err) {
        Pruner pruner = new Pruner(err::println);
        Pruner.Scores scores = scored.scores();
        BuiltPolicy parts = scored.parts();
        SelectionOptions options = q.options();
        Model model = analysis.model();
        if (q.spec().hasAgreement()) {
            err.println("searching for the deepest cut with agreement >= " + q.spec().agreement() + " on " + reference.description());
            AgreementSearch.Outcome o = new AgreementSearch(err::println).search(name, analysis, scores, options, parts.update(),
                    reference, q.spec().agreement());
            String note = o.met() ? null : "no cut kept agreement at " + q.spec().agreement() + " or above: the model was left whole";
            return new Outcome(o.result(), o.agreement(), note, null, 0);
        }
        Pruner.Result r;
        String searchNote = null;
        String latencyNote = null;
        if (options.target().kind() == Target.Kind.LATENCY) {
            LatencyTargetSearch.Outcome o = latency(q.args(), name, analysis, scores, options, parts, err);
            r = o.result();
            latencyNote = o.describe();
            if (!o.met()) {
                searchNote = "the latency target " + options.target().value() + " was not met: the fastest cut measured " + o.latency().describe();
            }
        } else if (q.roundToKernels()) {
            LatencyModels.Obtained steps = LatencyModels.steps(analysis, LatencyOptions.runtime(q.args()), LatencyOptions.cache(q.args()), err::println);
            err.println("rounding kept counts up to the " + steps.model().describeSteps());
            r = pruner.cut(analysis, pruner.select(name, analysis, scores, options, steps.model()::step), parts.update().forLastCut());
        } else {
            r = pruner.cut(analysis, pruner.select(name, analysis, scores, options), parts.update().forLastCut());
        }
        long checkStart = System.nanoTime();
        Agreement agreement = Agreement.measure(model, r.pruned(), reference);
        return new Outcome(r, agreement, searchNote, latencyNote, (System.nanoTime() - checkStart) / 1_000_000);
    }

    /** What the job assumed and how the result compares: input statistics, free dimensions, Hessians, agreement, latency. */
    private static void describe(PrintStream out, Request q, Model model, BuiltPolicy parts, Outcome o) {
        out.println("input statistics assumed: " + parts.inputStatistics().describeFor(model));
        String free = q.stated().unstatedFreeDimensions(model);
        if (!free.isEmpty()) {
            out.println("note: " + free);
        }
        if (!parts.hessianDescription().isEmpty()) {
            out.println("OBSPA's Hessians: " + parts.hessianDescription());
        }
        out.println("agreement with the original: " + o.agreement().describe());
        if (o.latencyNote() != null) {
            out.println(o.latencyNote());
        }
    }

    /** A latency target: the model's latency model on the stated runtime (cached), then cuts measured until one meets it. */
    private static LatencyTargetSearch.Outcome latency(Args args, String name, Analysis analysis, Pruner.Scores scores, SelectionOptions options,
                                                       BuiltPolicy parts, PrintStream err) {
        LatencyRuntime runtime = LatencyOptions.runtime(args);
        LatencyModels.Obtained latency = LatencyModels.obtain(analysis, runtime, LatencyOptions.cache(args), err::println);
        err.println(latency.describe());
        err.println("searching for a cut measured at latency <= " + options.target().value() + " on " + runtime.describe());
        return new LatencyTargetSearch(err::println).search(name, analysis, scores, options, parts.update(), latency.model(), runtime);
    }

    private static TargetSpec target(Args args) {
        if (args.has("ratio") && args.has("target")) {
            throw new SpaException("give either --ratio or --target, not both");
        }
        if (args.has("target")) {
            return TargetSpec.parse(args.get("target", ""));
        }
        return new TargetSpec(Target.ratio(args.number("ratio", 0.3)), 0);
    }

    static Path planPath(Path model) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        Path parent = model.toAbsolutePath().getParent();
        return parent.resolve(stem + ".plan.json");
    }
}
