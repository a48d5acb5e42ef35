package dev.spa.obspa;

import dev.spa.SpaException;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Turns a layer's input activation into the rows its weight multiplies: one row per output
 * position (Conv: a patch of C*kh*kw values, zero where it overhangs the padding; Gemm/MatMul: one
 * feature vector), plus a constant 1 when the layer has a bias. Rows are handed out in chunks so
 * a large activation never needs all its patches in memory at once.
 */
public final class Unfold {
    private static final int CHUNK_ROWS = 2048;

    private Unfold() {
    }

    /**
     * Calls {@code sink(rows, count)} for consecutive chunks of rows (each row hessianColumns wide). The array may be
     * reused for the next chunk, and may hold more than {@code count} rows: a sink that keeps rows copies them.
     */
    public static void rows(LinearLayer layer, float[] x, long[] shape, BiConsumer<float[], Integer> sink) {
        rows(layer, x, shape, RowSampling.all(), sink);
    }

    /** As {@link #rows(LinearLayer, float[], long[], BiConsumer)}, only the rows {@code sampling} takes. */
    public static void rows(LinearLayer layer, float[] x, long[] shape, RowSampling sampling, BiConsumer<float[], Integer> sink) {
        if (layer.conv() == null) {
            features(layer, x, shape, sampling, sink);
        } else {
            patches(layer, x, shape, sampling, sink);
        }
    }

    /** The rows an input of this shape gives the layer: one an output position (Conv), one a feature vector (Gemm, MatMul). */
    public static long rowCount(LinearLayer layer, long[] shape) {
        if (layer.conv() == null) {
            long rows = 1;
            for (int a = 0; a < shape.length - 1; a++) {
                rows *= shape[a];
            }
            return rows;
        }
        Positions p = positions(layer, shape);
        return shape[0] * p.height() * p.width();
    }

    /** How many rows make one line of output positions (a Conv's output width; 1 for feature vectors). */
    public static int lineLength(LinearLayer layer, long[] shape) {
        return layer.conv() == null ? 1 : positions(layer, shape).width();
    }

    /** A Conv's output positions for an input of this shape, and the geometry that places them. */
    private record Positions(ConvGeometry geometry, int height, int width) {
    }

    private static Positions positions(LinearLayer layer, long[] shape) {
        int h = (int) shape[2];
        int w = (int) shape[3];
        ConvGeometry g = layer.conv().forInput(h, w);
        return new Positions(g, g.outputHeight(h), g.outputWidth(w));
    }

    private static void features(LinearLayer layer, float[] x, long[] shape, RowSampling sampling, BiConsumer<float[], Integer> sink) {
        int k = layer.weightColumns();
        if (shape[shape.length - 1] != k) {
            throw new SpaException("input of " + layer.node() + " has " + shape[shape.length - 1] + " features, its weight expects " + k);
        }
        int n = layer.hessianColumns();
        RowSampling.Batch taken = sampling.next(x.length / k);
        for (int r0 = 0; r0 < taken.count(); r0 += CHUNK_ROWS) {
            int count = Math.min(CHUNK_ROWS, taken.count() - r0);
            float[] rows = new float[count * n];
            for (int r = 0; r < count; r++) {
                System.arraycopy(x, taken.row(r0 + r) * k, rows, r * n, k);
                if (n > k) {
                    rows[r * n + k] = 1f;
                }
            }
            sink.accept(rows, count);
        }
    }

    private static void patches(LinearLayer layer, float[] x, long[] shape, RowSampling sampling, BiConsumer<float[], Integer> sink) {
        if (shape.length != 4 || shape[1] != layer.inputChannels()) {
            throw new SpaException("input of " + layer.node() + " is not [N, " + layer.inputChannels() + ", H, W]");
        }
        int channels = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        Positions p = positions(layer, shape);
        ConvGeometry g = p.geometry();
        int ho = p.height();
        int wo = p.width();
        int n = layer.hessianColumns();
        int k = layer.weightColumns();
        RowSampling.Batch taken = sampling.next((int) shape[0] * ho * wo);
        float[] rows = new float[Math.max(1, Math.min(CHUNK_ROWS, taken.count())) * n]; // one buffer for every chunk: sinks copy what they keep
        for (int r0 = 0; r0 < taken.count(); r0 += CHUNK_ROWS) {
            int count = Math.min(CHUNK_ROWS, taken.count() - r0);
            for (int r = 0; r < count; r++) {
                int pos = taken.row(r0 + r);
                int oy = pos / wo % ho;
                int ox = pos % wo;
                int base = r * n;
                patch(g, x, (pos / (ho * wo)) * channels, channels, h, w, oy, ox, rows, base);
                if (n > k) {
                    rows[base + k] = 1f;
                }
            }
            sink.accept(rows, count);
        }
    }

    /**
     * One output position's patch into {@code rows} at {@code base}: the kernel columns that fall inside the input are
     * found once per position (not tested per value), so the copy itself has no branch. Profiled on the load test's
     * small CNNs, the per-value test made this the largest Java cost of a synthetic capture.
     */
    private static void patch(ConvGeometry g, float[] x, int firstPlane, int channels, int h, int w, int oy, int ox, float[] rows,
                              int base) {
        int kh = g.kh();
        int kw = g.kw();
        int dh = g.dilationH();
        int dw = g.dilationW();
        int y0 = oy * g.strideH() - g.padTop();
        int x0 = ox * g.strideW() - g.padLeft();
        int kyFrom = firstInside(y0, dh);
        int kyTo = pastLastInside(y0, dh, h, kh);
        int kxFrom = firstInside(x0, dw);
        int kxTo = pastLastInside(x0, dw, w, kw);
        if (kyFrom > 0 || kyTo < kh || kxFrom > 0 || kxTo < kw) {
            Arrays.fill(rows, base, base + channels * kh * kw, 0f); // overhangs the padding: zeros where nothing is copied
        }
        for (int c = 0; c < channels; c++) { // in the row's own order, so the writes run forward
            int plane = (firstPlane + c) * h;
            for (int ky = kyFrom; ky < kyTo; ky++) {
                int from = (plane + y0 + ky * dh) * w + x0;
                int to = base + (c * kh + ky) * kw;
                for (int kx = kxFrom; kx < kxTo; kx++) {
                    rows[to + kx] = x[from + kx * dw];
                }
            }
        }
    }

    /** The first kernel tap k with {@code start + k * dilation >= 0}. */
    private static int firstInside(int start, int dilation) {
        return start >= 0 ? 0 : (-start + dilation - 1) / dilation;
    }

    /** One past the last kernel tap k (at most {@code kernel}) with {@code start + k * dilation <= size - 1}. */
    private static int pastLastInside(int start, int dilation, int size, int kernel) {
        return start > size - 1 ? 0 : Math.min(kernel, (size - 1 - start) / dilation + 1);
    }
}
