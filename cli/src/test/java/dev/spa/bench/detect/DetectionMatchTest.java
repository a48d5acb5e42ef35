package dev.spa.bench.detect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DetectionMatchTest {
    private static Detection box(double x1, double y1, double x2, double y2, double score, int cls) {
        return new Detection(x1, y1, x2, y2, score, cls);
    }

    @Test
    void iouIsIntersectionOverUnion() {
        Detection a = box(0, 0, 2, 2, 1, 0);
        assertEquals(1.0, a.iou(a), 1e-12);
        assertEquals(1.0 / 7, a.iou(box(1, 1, 3, 3, 1, 0)), 1e-12); // 1 shared of 4 + 4 - 1
        assertEquals(0.0, a.iou(box(2, 0, 4, 2, 1, 0)), 1e-12); // touching edges share no area
    }

    @Test
    void suppressionKeepsTheBestOfOverlappingBoxesAndClassesApartWhenAsked() {
        Detection best = box(0, 0, 1, 1, 0.9, 0);
        Detection overlapping = box(0.05, 0, 1.05, 1, 0.8, 1);
        Detection apart = box(2, 2, 3, 3, 0.7, 0);
        assertEquals(List.of(best, apart), Nms.suppress(List.of(apart, overlapping, best), 0.45, false));
        assertEquals(List.of(best, overlapping, apart), Nms.suppress(List.of(apart, overlapping, best), 0.45, true));
    }

    @Test
    void aDetectionIsKeptOnlyBySameClassBoxOverlappingAtLeastHalfAndEachPrunedBoxCountsOnce() {
        List<Detection> original = List.of(box(0, 0, 1, 1, 0.9, 3), box(0, 0, 1, 1, 0.8, 3), box(5, 5, 6, 6, 0.9, 1));
        List<Detection> pruned = List.of(
                box(0.1, 0, 1.1, 1, 0.7, 3),   // IoU 0.82 with both class-3 boxes: matches one of them only
                box(5, 5, 6, 6, 0.9, 2),       // right place, wrong class
                box(5, 5.5, 6, 6.5, 0.9, 1));  // right class, IoU 1/3
        DetectionMatch m = DetectionMatch.ofImage(original, pruned);
        assertEquals(new DetectionMatch(3, 3, 1), m);
        assertEquals(1.0 / 3, m.kept(), 1e-12);
        assertEquals(1.0 / 3, m.precision(), 1e-12);
        assertEquals(new DetectionMatch(4, 3, 2), m.plus(new DetectionMatch(1, 0, 1)));
    }
}
