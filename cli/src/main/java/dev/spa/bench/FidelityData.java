package dev.spa.bench;

import dev.spa.ir.Model;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.runtime.SampleBatches;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The trained models of ../shared with no labels: the two detectors on their photos (resized to the
 * model's input, with the preprocessing SOURCES.md gives) and the wake-word MLP on synthetic
 * embeddings. Their quality is fidelity: how far the pruned model's outputs move from the original's.
 */
record FidelityData(String model, float[] inputs, int samples, String statedMean, String statedStd, String note) {
    static final int[] COCO_PHOTOS = {0, 1, 2, 3, 4};
    static final int[] FACE_PHOTOS = {1, 2, 5, 13, 19};
    static final PhotoFormat FASTESTDET = new PhotoFormat(352, 352, true, 0, 255);
    static final PhotoFormat SLIM_FACE = new PhotoFormat(240, 320, false, 127, 128);

    static FidelityData[] all(Path shared) throws IOException {
        Path images = shared.resolve("data").resolve("images");
        return new FidelityData[] {
            photos("fastestdet_coco", FASTESTDET, images, "coco_fastestdet_", COCO_PHOTOS, "0.45", "0.28"),
            photos("face_slim_320", SLIM_FACE, images, "faces_", FACE_PHOTOS, "0", "0.5"),
            new FidelityData("wakeword_mlp_layernorm", null, 0, null, null, "synthetic inputs N(0, 1) (no audio front-end is shipped)"),
        };
    }

    /** The photos as the model's reference inputs, written to {@code file} (raw float32) for the runtime to read. */
    ReferenceInputs reference(Model model, Path file) throws IOException {
        QualityData.write(file, inputs);
        return new ReferenceInputs(SampleBatches.fromFile(file, SampleBatches.sampleShape(model)), note);
    }

    /** The photos named {@code prefix + id + ".jpg"} in {@code dir}. */
    static List<Path> files(Path dir, String prefix, int... ids) {
        return Arrays.stream(ids).mapToObj(i -> dir.resolve(prefix + i + ".jpg")).toList();
    }

    private static FidelityData photos(String model, PhotoFormat format, Path dir, String prefix, int[] ids, String mean, String std)
            throws IOException {
        float[] x = format.read(files(dir, prefix, ids), false);
        return new FidelityData(model, x, ids.length, mean, std, ids.length + " photos from ../shared/data/images (" + prefix + "*)");
    }
}
