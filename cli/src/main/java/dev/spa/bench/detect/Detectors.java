package dev.spa.bench.detect;

import dev.spa.ir.Model;
import dev.spa.runtime.OnnxRunner;
import dev.spa.runtime.SampleBatches;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a detector on a batch of images and decodes what it finds in each. */
public final class Detectors {
    private Detectors() {
    }

    public static List<List<Detection>> detect(Model model, SampleBatches images, DetectionDecoder decoder) {
        String input = model.graph().inputs().get(0).getName();
        List<List<Detection>> found = new ArrayList<>();
        try (OnnxRunner runner = OnnxRunner.of(model, 2)) {
            images.forEachBatch(8, (data, count) -> found.addAll(decoder.decode(runner.run(Map.of(input, data), count), count)));
        }
        return found;
    }
}
