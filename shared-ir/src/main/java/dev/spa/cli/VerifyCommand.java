package dev.spa.cli;

import dev.spa.SpaException;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.manifest.PlanRecord;
import dev.spa.deps.ManifestWriter;
import dev.spa.runtime.OnnxRunner;
import dev.spa.runtime.Outputs;
import dev.spa.surgery.Oracle;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * {@code spa verify original.onnx pruned.onnx [--plan plan.json] [--batch N] [--tolerance T]}: runs both
 * in ONNX Runtime on the same random inputs, reports output shapes and, given the plan (found beside
 * the pruned model when not named), the oracle deviation. Fails when shapes differ or the deviation
 * is over the tolerance for a plan that touches no channel-mixing group.
 */
final class VerifyCommand {
    private VerifyCommand() {
    }

    static void run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = new Args(argv, 1, Set.of("plan", "batch", "tolerance", "seed"), Set.of());
        Path originalFile = Path.of(args.positional(0, "original model (spa verify original.onnx pruned.onnx)"));
        Path prunedFile = Path.of(args.positional(1, "pruned model (spa verify original.onnx pruned.onnx)"));
        int batch = (int) args.number("batch", 2);
        double tolerance = args.number("tolerance", 1e-4);
        Path planFile = args.has("plan") ? Path.of(args.get("plan", "")) : PruneCommand.planPath(prunedFile);
        ModelLoader loader = new ModelLoader();
        Model original = loader.load(originalFile);
        Model pruned = loader.load(prunedFile);
        err.println("running both models in ONNX Runtime, batch " + batch);
        Outputs a;
        Outputs b;
        Map<String, float[]> inputs;
        try (OnnxRunner ra = new OnnxRunner(original.toBytes(), 2); OnnxRunner rb = new OnnxRunner(pruned.toBytes(), 2)) {
            inputs = ra.randomInputs(batch, (long) args.number("seed", 42));
            a = ra.run(inputs, batch);
            b = rb.run(inputs, batch);
        }
        Table t = new Table("output", "original shape", "pruned shape", "same");
        boolean shapesMatch = true;
        for (String name : a.shapes().keySet()) {
            long[] sa = a.shapes().get(name);
            long[] sb = b.shapes().get(name);
            boolean same = Arrays.equals(sa, sb);
            shapesMatch &= same;
            t.row(name, Arrays.toString(sa), sb == null ? "missing" : Arrays.toString(sb), same ? "yes" : "NO");
        }
        out.print(t.render());
        out.printf("relative deviation from the original: %.3g (expected for any real pruning)%n", a.relativeError(b));
        if (!shapesMatch) {
            throw new SpaException("the pruned model's output shapes differ from the original's");
        }
        if (!Files.exists(planFile)) {
            out.println("no plan at " + planFile + ": oracle not checked");
            return;
        }
        PlanRecord plan = ManifestWriter.parsePlan(Files.readString(planFile));
        Outputs reference;
        try (OnnxRunner rr = new OnnxRunner(Oracle.zeroedReference(original, plan).toBytes(), 2)) {
            reference = rr.run(inputs, batch);
        }
        double deviation = reference.relativeError(b);
        boolean mixing = plan.getGroupsList().stream().anyMatch(g -> g.getChannelMixing());
        out.printf("oracle deviation (original with pruned channels' inputs zeroed vs pruned): %.3g%s%n", deviation,
                mixing ? " (the plan prunes channel-mixing groups, so a deviation is expected)" : "");
        if (!mixing && deviation > tolerance) {
            throw new SpaException(String.format("oracle deviation %.3g is over the tolerance %.1g: the surgery is wrong", deviation, tolerance));
        }
    }
}
