package dev.spa.bench.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression, as both detectors' reference code does it after thresholding. */
final class Nms {
    private Nms() {
    }

    /**
     * The boxes kept, best score first: each box suppresses the lower-scored ones that overlap it by more than
     * {@code iou}; with {@code perClass} only boxes of its own class (otherwise any class, as FastestDet does).
     */
    static List<Detection> suppress(List<Detection> boxes, double iou, boolean perClass) {
        List<Detection> kept = new ArrayList<>();
        for (Detection d : byScore(boxes)) {
            boolean suppressed = false;
            for (Detection k : kept) {
                if ((!perClass || k.cls() == d.cls()) && k.iou(d) > iou) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(d);
            }
        }
        return kept;
    }

    /** A copy, best score first. */
    static List<Detection> byScore(List<Detection> boxes) {
        List<Detection> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        return sorted;
    }
}
