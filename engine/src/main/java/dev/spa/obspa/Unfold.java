package dev.spa.obspa;

import dev.spa.SpaException;

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

    /** Calls {@code sink(rows, count)} for consecutive chunks of rows (each row hessianColumns wide). */
    public static void rows(LinearLayer layer, float[] x, long[] shape, BiConsumer<float[], Integer> sink) {
        if (layer.conv() == null) {
            features(layer, x, shape, sink);
        } else {
            patches(layer, x, shape, sink);
        }
    }

    private static void features(LinearLayer layer, float[] x, long[] shape, BiConsumer<float[], Integer> sink) {
        int k = layer.weightColumns();
        if (shape[shape.length - 1] != k) {
            throw new SpaException("input of " + layer.node() + " has " + shape[shape.length - 1] + " features, its weight expects " + k);
        }
        int n = layer.hessianColumns();
        int total = x.length / k;
        for (int r0 = 0; r0 < total; r0 += CHUNK_ROWS) {
            int count = Math.min(CHUNK_ROWS, total - r0);
            float[] rows = new float[count * n];
            for (int r = 0; r < count; r++) {
                System.arraycopy(x, (r0 + r) * k, rows, r * n, k);
                if (n > k) {
                    rows[r * n + k] = 1f;
                }
            }
            sink.accept(rows, count);
        }
    }

    private static void patches(LinearLayer layer, float[] x, long[] shape, BiConsumer<float[], Integer> sink) {
        if (shape.length != 4 || shape[1] != layer.inputChannels()) {
            throw new SpaException("input of " + layer.node() + " is not [N, " + layer.inputChannels() + ", H, W]");
        }
        int batch = (int) shape[0];
        int channels = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        ConvGeometry g = layer.conv().forInput(h, w);
        int ho = g.outputHeight(h);
        int wo = g.outputWidth(w);
        int n = layer.hessianColumns();
        int k = layer.weightColumns();
        int total = batch * ho * wo;
        for (int r0 = 0; r0 < total; r0 += CHUNK_ROWS) {
            int count = Math.min(CHUNK_ROWS, total - r0);
            float[] rows = new float[count * n];
            for (int r = 0; r < count; r++) {
                int pos = r0 + r;
                int b = pos / (ho * wo);
                int oy = pos / wo % ho;
                int ox = pos % wo;
                int base = r * n;
                for (int c = 0; c < channels; c++) {
                    int plane = (b * channels + c) * h * w;
                    for (int ky = 0; ky < g.kh(); ky++) {
                        int iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
                        for (int kx = 0; kx < g.kw(); kx++) {
                            int ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                rows[base + (c * g.kh() + ky) * g.kw() + kx] = x[plane + iy * w + ix];
                            }
                        }
                    }
                }
                if (n > k) {
                    rows[base + k] = 1f;
                }
            }
            sink.accept(rows, count);
        }
    }
}
