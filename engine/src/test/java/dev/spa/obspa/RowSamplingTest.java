package dev.spa.obspa;

import dev.spa.ir.Model;
import dev.spa.linalg.CpuLinalg;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.SampleBatches;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A capture keeps about RowSampling.ROWS_PER_COLUMN rows a column, spread over every batch, and scales H back to all of them. */
class RowSamplingTest {
    private static final int SIDE = 16;

    @Test
    void aLayerWithFewRowsTakesThemAll() {
        assertEquals(1, RowSampling.of(2L * RowSampling.ROWS_PER_COLUMN * 10, 10, SIDE).stride());
    }

    @Test
    void theStrideIsCoprimeWithTheOutputsWidth() {
        // 10 columns want 2560 rows: 20480 give a stride of 8, which would take one column of positions in two
        assertEquals(9, RowSampling.of(20480, 10, SIDE).stride());
        assertEquals(8, RowSampling.of(20480, 10, 1).stride());
    }

    @Test
    void theRowsTakenAreEveryStrideThRowCountedAcrossBatches() {
        Model m = conv();
        LinearLayer layer = LinearLayer.of(m.graph(), m.graph().nodes().get(0));
        int n = layer.hessianColumns();
        int batch = 7; // 7 x 256 rows a batch: the stride does not divide a batch, so each batch starts at another phase
        RowSampling sampling = RowSampling.of(6L * batch * SIDE * SIDE, n, SIDE);
        int stride = sampling.stride();
        assertTrue(stride > 1, "a capture of 6 batches is sampled");
        Random random = new Random(5);
        long seen = 0;
        int taken = 0;
        for (int b = 0; b < 6; b++) {
            float[] x = new float[batch * SIDE * SIDE];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            long[] shape = {batch, 1, SIDE, SIDE};
            List<float[]> all = rows(layer, x, shape, RowSampling.all());
            List<float[]> sampled = rows(layer, x, shape, sampling);
            long first = (stride - seen % stride) % stride;
            assertEquals((all.size() - first + stride - 1) / stride, sampled.size(), "batch " + b);
            for (int k = 0; k < sampled.size(); k++) {
                assertArrayEquals(all.get((int) (first + (long) k * stride)), sampled.get(k), "batch " + b + ", row " + k);
            }
            seen += all.size();
            taken += sampled.size();
        }
        assertEquals((double) seen / taken, sampling.scale(), 1e-12);
    }

    @Test
    void aSampledHessianIsTheFullOneAtItsScale() {
        Model m = conv();
        LinearLayer layer = LinearLayer.of(m.graph(), m.graph().nodes().get(0));
        int n = layer.hessianColumns();
        int samples = 64; // 64 x 256 rows for 10 columns: sampled at a stride of 7
        SampleBatches batches = SampleBatches.gaussian(new long[] {1, SIDE, SIDE}, samples, InputStatistics.stated(new double[] {0.5}, new double[] {1}), 3);
        float[] full = new float[n * n];
        CpuLinalg linalg = new CpuLinalg();
        batches.forEachBatch(samples, (data, count) -> Unfold.rows(layer, data, new long[] {count, 1, SIDE, SIDE},
                (rows, c) -> linalg.accumulateGram(full, n, rows, c)));
        GramHessian h = (GramHessian) new CapturedHessians(batches, "test", ExecutionProvider.CPU).hessians(m, List.of(layer), linalg).take(layer);
        assertTrue(h.rows() < samples * SIDE * SIDE / 4, "rows sampled: " + h.rows());
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < full.length; i++) {
            diff += Math.pow(h.matrix()[i] - full[i], 2);
            norm += Math.pow(full[i], 2);
        }
        // a sample's noise is about 0.04 here; left unscaled, H would be a seventh of the full one (a difference of 0.86)
        assertTrue(Math.sqrt(diff / norm) < 0.1, "relative difference " + Math.sqrt(diff / norm));
    }

    private static Model conv() {
        return new GraphBuilder().input("x", -1, 1, SIDE, SIDE).output("y").weight("W", 2, 1, 3, 3).weight("B", 2)
                .opAttrs("Conv", "y", new String[] {"x", "W", "B"}, "pads", new long[] {1, 1, 1, 1}).model();
    }

    private static List<float[]> rows(LinearLayer layer, float[] x, long[] shape, RowSampling sampling) {
        int n = layer.hessianColumns();
        List<float[]> out = new ArrayList<>();
        Unfold.rows(layer, x, shape, sampling, (chunk, count) -> {
            for (int r = 0; r < count; r++) {
                float[] row = new float[n];
                System.arraycopy(chunk, r * n, row, 0, n);
                out.add(row);
            }
        });
        return out;
    }
}
