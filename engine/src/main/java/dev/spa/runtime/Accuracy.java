package dev.spa.runtime;

import dev.spa.SpaException;
import dev.spa.ir.Model;

import java.util.Map;

/** Top-1 accuracy of a classifier in ONNX Runtime: the arg-max of its first output against integer labels. */
public final class Accuracy {
    private Accuracy() {
    }

    public static double top1(Model model, SampleBatches samples, long[] labels) {
        if (labels.length != samples.samples()) {
            throw new SpaException(samples.samples() + " samples but " + labels.length + " labels");
        }
        String input = model.graph().inputs().get(0).getName();
        int[] correct = {0};
        int[] seen = {0};
        try (OnnxRunner runner = OnnxRunner.of(model, 2)) {
            samples.forEachBatch(64, (data, count) -> {
                ModelOutputs out = runner.run(Map.of(input, data), count);
                float[] logits = out.values().values().iterator().next();
                int classes = logits.length / count;
                for (int b = 0; b < count; b++) {
                    if (argmax(logits, b * classes, classes) == labels[seen[0] + b]) {
                        correct[0]++;
                    }
                }
                seen[0] += count;
            });
        }
        return (double) correct[0] / labels.length;
    }

    /** The top-1 class of one sample's {@code classes} logits starting at {@code from} (the first of equals). */
    static int argmax(float[] logits, int from, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (logits[from + c] > logits[from + best]) {
                best = c;
            }
        }
        return best;
    }
}
