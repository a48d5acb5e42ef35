package dev.spa.cli;

import dev.spa.SpaException;
import dev.spa.events.manifest.PlanRecord;
import dev.spa.ir.InputShapes;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.manifest.ManifestWriter;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.LatencyComparison;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.ModelOutputs;
import dev.spa.runtime.OnnxRunner;
import dev.spa.surgery.Oracle;
import dev.spa.surgery.WeightUpdate;
import dev.spa.text.Table;
import dev.spa.verify.Verification;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * {@code spa verify original.onnx pruned.onnx [--plan plan.json] [--batch N] [--tolerance T] [--time [--threads T]]}:
 * runs both in ONNX Runtime on the same random inputs, reports output shapes and, given the plan (found beside
 * the pruned model when not named), the oracle deviation. Fails when shapes differ or the deviation
 * is over the tolerance for a plan that touches no channel-mixing group. With {@code --time}, times both
 * interleaved at that batch and thread count ({@link LatencyComparison}) and says the ratio, its spread and how.
 */
final class VerifyCommand {
    private VerifyCommand() {
    }

    static void run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = new Args(argv, 1, Set.of("plan", "batch", "tolerance", "seed", "threads", "input-shape"),
                Set.of("time"));
        InputShapes stated = InputShapes.parse(args.all("input-shape"));
        int threads = (int) args.number("threads", 2);
        Path originalFile = Path.of(args.positional(0, "original model (spa verify original.onnx pruned.onnx)"));
        Path prunedFile = Path.of(args.positional(1, "pruned model (spa verify original.onnx pruned.onnx)"));
        int batch = (int) args.number("batch", 2);
        double tolerance = args.number("tolerance", 1e-4);
        Path planFile = args.has("plan") ? Path.of(args.get("plan", "")) : PruneCommand.planPath(prunedFile);
        ModelLoader loader = new ModelLoader();
        Model original = loader.load(originalFile);
        Model pruned = loader.load(prunedFile);
        err.println("running both models in ONNX Runtime, batch " + batch);
        Verification v;
        Map<String, float[]> inputs;
        try (OnnxRunner ra = OnnxRunner.of(original, threads).stating(stated); OnnxRunner rb = OnnxRunner.of(pruned, threads).stating(stated)) {
            inputs = ra.randomInputs(batch, (long) args.number("seed", 42));
            if (args.has("time")) {
                err.println("timing both models, interleaved");
            }
            v = Verification.compare(ra, rb, inputs, batch, args.has("time") ? new LatencyRuntime(ExecutionProvider.CPU, threads, batch) : null);
        }
        Table t = new Table("output", "original shape", "pruned shape", "same");
        for (String name : v.original().shapes().keySet()) {
            long[] sa = v.original().shapes().get(name);
            long[] sb = v.pruned().shapes().get(name);
            t.row(name, Arrays.toString(sa), sb == null ? "missing" : Arrays.toString(sb), Arrays.equals(sa, sb) ? "yes" : "NO");
        }
        out.print(t.render());
        out.printf("relative deviation from the original: %.3g (expected for any real pruning)%n", v.deviation());
        Agreement agreement = v.agreement("random inputs");
        if (agreement.classifier()) {
            out.println("agreement: " + agreement.describe());
        }
        if (v.latency() != null) {
            out.println("latency: " + v.latency().summary());
        }
        if (!v.shapeMismatches().isEmpty()) {
            throw new SpaException("the pruned model's output shapes differ from the original's");
        }
        oracle(planFile, original, v.pruned(), inputs, batch, tolerance, stated, out);
    }

    /**
     * Given the plan, the oracle: the pruned model against the original with the removed channels' inputs zeroed; over
     * the tolerance for a plan that touches no channel-mixing group, the surgery is wrong.
     */
    private static void oracle(Path planFile, Model original, ModelOutputs pruned, Map<String, float[]> inputs, int batch,
                               double tolerance, InputShapes stated, PrintStream out) throws IOException {
        if (!Files.exists(planFile)) {
            out.println("no plan at " + planFile + ": oracle not checked");
            return;
        }
        PlanRecord plan = ManifestWriter.parsePlan(Files.readString(planFile));
        if (!plan.getWeightUpdate().isEmpty() && !plan.getWeightUpdate().equals(WeightUpdate.NONE.name())) {
            // the oracle compares with the original's kept weights; an update moved them on purpose
            out.println("the kept weights were updated (" + plan.getWeightUpdate() + "), so the pruned model is not the original with"
                    + " channels zeroed: oracle not checked (prune with --update none to check the surgery alone)");
            return;
        }
        double deviation;
        try (OnnxRunner rr = OnnxRunner.of(Oracle.zeroedReference(original, plan), 2).stating(stated)) {
            deviation = rr.run(inputs, batch).relativeError(pruned); // the pruned model's outputs on these inputs, run once above
        }
        boolean mixing = plan.getGroupsList().stream().anyMatch(g -> g.getChannelMixing());
        out.printf("oracle deviation (original with pruned channels' inputs zeroed vs pruned): %.3g%s%n", deviation,
                mixing ? " (the plan prunes channel-mixing groups, so a deviation is expected)" : "");
        if (!mixing && deviation > tolerance) {
            throw new SpaException(String.format("oracle deviation %.3g is over the tolerance %.1g: the surgery is wrong", deviation, tolerance));
        }
    }
}
