package dev.spa.bench.detect;

import dev.spa.runtime.ModelOutputs;

import java.util.ArrayList;
import java.util.List;

/**
 * FastestDet's output {@code [N, 85, H, W]} as its reference runtime reads it (dog-qiuqiu/FastestDet,
 * example/onnx-runtime/runtime.py): per cell, objectness (already a sigmoid) and 80 class
 * probabilities (already a softmax) give the score obj^0.6 * cls^0.4; a cell above the threshold
 * holds a box centred at the cell plus tanh offsets, with sigmoid width and height in fractions of
 * the image; then class-agnostic NMS.
 */
public final class FastestDetDecoder implements DetectionDecoder {
    static final double SCORE = 0.65;
    static final double NMS_IOU = 0.45;
    private final String output;

    public FastestDetDecoder(String output) {
        this.output = output;
    }

    @Override
    public List<List<Detection>> decode(ModelOutputs outputs, int images) {
        float[] v = outputs.values().get(output);
        long[] shape = outputs.shapes().get(output);
        int channels = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        int plane = h * w;
        List<List<Detection>> all = new ArrayList<>();
        for (int n = 0; n < images; n++) {
            int base = n * channels * plane;
            List<Detection> boxes = new ArrayList<>();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int at = base + y * w + x;
                    int best = 5;
                    for (int c = 6; c < channels; c++) {
                        if (v[at + c * plane] > v[at + best * plane]) {
                            best = c;
                        }
                    }
                    double score = Math.pow(v[at], 0.6) * Math.pow(v[at + best * plane], 0.4);
                    if (score > SCORE) {
                        double cx = (x + Math.tanh(v[at + plane])) / w;
                        double cy = (y + Math.tanh(v[at + 2 * plane])) / h;
                        double bw = sigmoid(v[at + 3 * plane]);
                        double bh = sigmoid(v[at + 4 * plane]);
                        boxes.add(new Detection(cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2, score, best - 5));
                    }
                }
            }
            all.add(Nms.suppress(boxes, NMS_IOU, false));
        }
        return all;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
