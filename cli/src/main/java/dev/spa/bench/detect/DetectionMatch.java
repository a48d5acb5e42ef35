package dev.spa.bench.detect;

import java.util.List;

/**
 * How many of the original model's detections the pruned model still makes: each original box, best
 * score first, takes the unmatched pruned box of its class that overlaps it most, if that overlap is
 * at least the IoU asked for. Kept = matched / original; precision = matched / pruned.
 */
public record DetectionMatch(int original, int pruned, int matched) {
    public static final double IOU = 0.5;

    public static DetectionMatch of(List<List<Detection>> original, List<List<Detection>> pruned) {
        DetectionMatch total = new DetectionMatch(0, 0, 0);
        for (int i = 0; i < original.size(); i++) {
            total = total.plus(ofImage(original.get(i), pruned.get(i)));
        }
        return total;
    }

    static DetectionMatch ofImage(List<Detection> original, List<Detection> pruned) {
        boolean[] taken = new boolean[pruned.size()];
        int matched = 0;
        for (Detection o : Nms.byScore(original)) {
            int best = -1;
            double bestIou = IOU;
            for (int j = 0; j < pruned.size(); j++) {
                Detection p = pruned.get(j);
                double iou = o.iou(p);
                if (!taken[j] && p.cls() == o.cls() && iou >= bestIou) {
                    best = j;
                    bestIou = iou;
                }
            }
            if (best >= 0) {
                taken[best] = true;
                matched++;
            }
        }
        return new DetectionMatch(original.size(), pruned.size(), matched);
    }

    DetectionMatch plus(DetectionMatch o) {
        return new DetectionMatch(original + o.original, pruned + o.pruned, matched + o.matched);
    }

    public double kept() {
        return original == 0 ? 1 : (double) matched / original;
    }

    public double precision() {
        return pruned == 0 ? 1 : (double) matched / pruned;
    }
}
