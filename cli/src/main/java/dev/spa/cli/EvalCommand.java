package dev.spa.cli;

import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.runtime.Accuracy;
import dev.spa.runtime.SampleBatches;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code spa eval MODEL --inputs X.f32 --labels Y.i64}: top-1 accuracy in ONNX Runtime. */
final class EvalCommand {
    private EvalCommand() {
    }

    static void run(String[] argv, PrintStream out, PrintStream err) {
        Args args = new Args(argv, 1, Set.of("inputs", "labels"), Set.of());
        Path file = Path.of(args.positional(0, "model file (spa eval model.onnx --inputs X.f32 --labels Y.i64)"));
        Model model = new ModelLoader().load(file);
        SampleBatches samples = SampleBatches.fromFile(Path.of(args.require("inputs")), SampleBatches.sampleShape(model));
        long[] labels = SampleBatches.readLabels(Path.of(args.require("labels")));
        double accuracy = Accuracy.top1(model, samples, labels);
        out.printf("top-1 accuracy: %.2f%% (%d samples)%n", 100 * accuracy, labels.length);
    }
}
