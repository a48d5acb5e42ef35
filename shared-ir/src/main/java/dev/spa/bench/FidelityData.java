package dev.spa.bench;

import dev.spa.ir.Model;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.runtime.SampleBatches;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The trained models of ../shared with no labels: the two detectors on their photos (resized to the
 * model's input, with the preprocessing SOURCES.md gives) and the wake-word MLP on synthetic
 * embeddings. Their quality is fidelity: how far the pruned model's outputs move from the original's.
 */
record FidelityData(String model, float[] inputs, int samples, String statedMean, String statedStd, String note) {
    static FidelityData[] all(Path shared) throws IOException {
        Path images = shared.resolve("data").resolve("images");
        return new FidelityData[] {
            photos("fastestdet_coco", images, "coco_fastestdet_", 5, 352, 352, true, 0, 255, "0.45", "0.28"),
            photos("face_slim_320", images, "faces_", new int[] {1, 2, 5, 13, 19}, 240, 320, false, 127, 128, "0", "0.5"),
            new FidelityData("wakeword_mlp_layernorm", null, 0, null, null, "synthetic inputs N(0, 1) (no audio front-end is shipped)"),
        };
    }

    /** The photos as the model's reference inputs, written to {@code file} (raw float32) for the runtime to read. */
    ReferenceInputs reference(Model model, Path file) throws IOException {
        QualityData.write(file, inputs);
        return new ReferenceInputs(SampleBatches.fromFile(file, SampleBatches.sampleShape(model)), note);
    }

    private static FidelityData photos(String model, Path dir, String prefix, int count, int h, int w, boolean bgr, float offset,
                                       float scale, String mean, String std) throws IOException {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = i;
        }
        return photos(model, dir, prefix, ids, h, w, bgr, offset, scale, mean, std);
    }

    private static FidelityData photos(String model, Path dir, String prefix, int[] ids, int h, int w, boolean bgr, float offset,
                                       float scale, String mean, String std) throws IOException {
        float[] x = new float[ids.length * 3 * h * w];
        for (int i = 0; i < ids.length; i++) {
            BufferedImage img = ImageIO.read(dir.resolve(prefix + ids[i] + ".jpg").toFile());
            for (int y = 0; y < h; y++) {
                for (int c = 0; c < w; c++) {
                    int rgb = img.getRGB(c * img.getWidth() / w, y * img.getHeight() / h); // nearest-neighbour resize
                    int[] channels = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                    for (int ch = 0; ch < 3; ch++) {
                        int from = bgr ? 2 - ch : ch;
                        x[((i * 3 + ch) * h + y) * w + c] = (channels[from] - offset) / scale;
                    }
                }
            }
        }
        return new FidelityData(model, x, ids.length, mean, std, ids.length + " photos from ../shared/data/images (" + prefix + "*)");
    }
}
