package dev.spa.bench.detect;

import dev.spa.runtime.ModelOutputs;

import java.util.ArrayList;
import java.util.List;

/**
 * The Ultra-Light face detector's decoded outputs ({@code scores [N, A, 2]} after its Softmax,
 * {@code boxes [N, A, 4]} as corners in fractions of the image) as its reference code reads them
 * (Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB, vision/utils/box_utils.py): anchors whose
 * face probability is above 0.7, then hard NMS at IoU 0.3.
 */
public final class SlimFaceDecoder implements DetectionDecoder {
    static final double SCORE = 0.7;
    static final double NMS_IOU = 0.3;

    @Override
    public List<List<Detection>> decode(ModelOutputs outputs, int images) {
        float[] scores = outputs.values().get("scores");
        float[] boxes = outputs.values().get("boxes");
        int anchors = (int) outputs.shapes().get("scores")[1];
        List<List<Detection>> all = new ArrayList<>();
        for (int n = 0; n < images; n++) {
            List<Detection> faces = new ArrayList<>();
            for (int a = 0; a < anchors; a++) {
                int i = n * anchors + a;
                if (scores[2 * i + 1] > SCORE) {
                    faces.add(new Detection(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], scores[2 * i + 1], 0));
                }
            }
            all.add(Nms.suppress(faces, NMS_IOU, true));
        }
        return all;
    }
}
