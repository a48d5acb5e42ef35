package dev.spa.bench.detect;

import dev.spa.runtime.ModelOutputs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecodersTest {
    @Test
    void fastestDetReadsOneCellAboveTheThresholdAsABoxAroundItsCell() {
        int h = 2;
        int w = 4;
        int plane = h * w;
        float[] v = new float[85 * plane];
        int cell = 1 * w + 2; // row 1, column 2
        v[cell] = 0.9f;                       // objectness
        v[(5 + 17) * plane + cell] = 0.8f;    // class 17
        v[(5 + 3) * plane + 5] = 0.99f;       // a confident class where objectness is 0: no box
        float[] weakerCell = {0.7f, 0.6f}; // objectness, class 17
        v[cell + 1] = weakerCell[0];
        v[(5 + 17) * plane + cell + 1] = weakerCell[1]; // score 0.66, its box far from the first: kept too
        v[3 * plane + cell + 1] = -4;
        v[4 * plane + cell + 1] = -4;
        ModelOutputs out = new ModelOutputs(Map.of("758", v), Map.of("758", new long[] {1, 85, h, w}));
        List<Detection> found = new FastestDetDecoder("758").decode(out, 1).get(0);
        assertEquals(2, found.size());
        Detection d = found.get(0);
        assertEquals(17, d.cls());
        assertEquals(Math.pow(0.9, 0.6) * Math.pow(0.8, 0.4), d.score(), 1e-6);
        // offsets tanh(0) = 0 put the centre at the cell's corner (2/4, 1/2); sigmoid(0) = 0.5 of the image each way
        assertEquals(0.25, d.x1(), 1e-9);
        assertEquals(0.75, d.x2(), 1e-9);
        assertEquals(0.25, d.y1(), 1e-9);
        assertEquals(0.75, d.y2(), 1e-9);
    }

    @Test
    void slimFaceKeepsConfidentAnchorsAndSuppressesTheirOverlaps() {
        float[] scores = {0.1f, 0.9f, 0.2f, 0.8f, 0.4f, 0.6f, 0.05f, 0.95f};
        float[] boxes = {
            0, 0, 0.5f, 0.5f,
            0.02f, 0, 0.52f, 0.5f,   // overlaps the first: suppressed
            0.5f, 0.5f, 1, 1,        // face score 0.6, under 0.7
            0.6f, 0.6f, 0.9f, 0.9f,
        };
        ModelOutputs out = new ModelOutputs(Map.of("scores", scores, "boxes", boxes),
                Map.of("scores", new long[] {1, 4, 2}, "boxes", new long[] {1, 4, 4}));
        List<Detection> found = new SlimFaceDecoder().decode(out, 1).get(0);
        assertEquals(2, found.size());
        assertEquals(0.95, found.get(0).score(), 1e-6);
        assertEquals(0.9, found.get(1).score(), 1e-6);
        assertEquals(0.0, found.get(1).x1(), 1e-9);
    }
}
