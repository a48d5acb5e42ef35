package dev.spa.runtime;

import dev.spa.ir.Model;

import java.nio.file.Path;

/**
 * The inputs a pruned model is compared with its original on: the job's calibration samples when
 * it has any, else synthetic Gaussian inputs with the statistics the job assumes. Reports name which.
 */
public record ReferenceInputs(SampleBatches samples, String description) {
    /** Synthetic reference inputs: how many, and the seed that makes them the same for every job on a model. */
    public static final int SYNTHETIC_SAMPLES = 256;
    private static final long SEED = 20261201L;

    public static ReferenceInputs of(Model model, Path calibration, InputStatistics stats) {
        if (calibration != null) {
            SampleBatches samples = SampleBatches.fromFile(calibration, InputLayout.of(model));
            return new ReferenceInputs(samples, "calibration samples (" + calibration.getFileName() + ")");
        }
        return synthetic(model, stats);
    }

    /**
     * Synthetic images to rank data-free candidates on, where the model takes an image: dead leaves as a synthetic
     * capture draws them, from another seed than any capture's, so a candidate fitted to its own images is judged on
     * images it never saw. Gaussian noise ranked the candidates by how they treat static: once the capture's images
     * became dead leaves, auto chose L2 with the update on the digits CNN at a quarter of its MACs (20.9%) over OBSPA
     * on the images (78.8%; BENCHMARKS.md, Quality, *Dead leaves*). Elsewhere {@code otherwise}.
     */
    public static ReferenceInputs heldOutImages(Model model, InputStatistics stats, ReferenceInputs otherwise) {
        InputLayout layout = InputLayout.of(model);
        boolean images = layout.segments().stream().anyMatch(s -> !s.integer() && DeadLeaves.isImage(s.sampleShape()));
        if (!images) {
            return otherwise;
        }
        return new ReferenceInputs(SampleBatches.synthetic(layout, SYNTHETIC_SAMPLES, stats, SEED + 1, true),
                "held-out synthetic images (" + SampleBatches.describeSynthetic(layout) + ") " + stats.describe());
    }

    public static ReferenceInputs synthetic(Model model, InputStatistics stats) {
        InputLayout layout = InputLayout.of(model);
        String description = !layout.takesFloats() ? "synthetic token sequences (" + SampleBatches.describeSynthetic(layout) + ")"
                : "synthetic Gaussian inputs " + stats.describe() + (layout.takesTokens() ? ", token ids drawn uniformly from the vocabulary" : "");
        return new ReferenceInputs(SampleBatches.synthetic(layout, SYNTHETIC_SAMPLES, stats, SEED, false), description);
    }
}
