package dev.spa.linalg;

import dev.spa.linalg.CpuGemm.View;

import java.util.stream.IntStream;

/**
 * Linear algebra on the CPU: blocked algorithms whose bulk is {@link CpuGemm}'s tiled, vectorised,
 * multi-core product. Diagonal blocks are factored in double precision, so a badly conditioned
 * Hessian loses as little as float storage allows.
 */
public final class CpuLinalg implements Linalg {
    private static final int BLOCK = 96;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void accumulateGram(float[] h, int n, float[] x, int rows) {
        float[] xt = Transpose.of(x, rows, n);
        float[] lower = new float[n * n];
        CpuGemm.accumulate(View.of(lower, n), View.of(xt, rows), View.of(x, n), n, rows, n, 1f, false, true);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                h[i * n + j] += lower[i * n + j];
                if (j < i) {
                    h[j * n + i] += lower[i * n + j];
                }
            }
        }
    }

    @Override
    public void accumulateCross(float[] c, int n, float[] x, float[] y, int rows) {
        float[] xt = Transpose.of(x, rows, n);
        CpuGemm.accumulate(View.of(c, n), View.of(xt, rows), View.of(y, n), n, rows, n, 1f, false, false);
    }

    @Override
    public float[] multiply(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        CpuGemm.accumulate(View.of(c, n), View.of(a, k), View.of(b, n), m, k, n, 1f, false, false);
        return c;
    }

    @Override
    public void multiplyAccumulate(float[] c, float[] a, float[] b, int m, int k, int n, float alpha) {
        CpuGemm.accumulate(View.of(c, n), View.of(a, k), View.of(b, n), m, k, n, alpha, false, false);
    }

    @Override
    public float[] cholesky(float[] a, int n) {
        float[] l = a.clone();
        for (int k0 = 0; k0 < n; k0 += BLOCK) {
            int kb = Math.min(BLOCK, n - k0);
            double[] d = factorDiagonalBlock(l, n, k0, kb);
            if (d == null) {
                return null;
            }
            int below = n - k0 - kb;
            if (below == 0) {
                break;
            }
            solvePanel(l, n, k0, kb, d);
            // trailing update A22 -= L21 L21ᵀ (lower triangle only)
            float[] panelT = new float[kb * below];
            for (int i = 0; i < below; i++) {
                for (int t = 0; t < kb; t++) {
                    panelT[t * below + i] = l[(k0 + kb + i) * n + k0 + t];
                }
            }
            int corner = (k0 + kb) * n + k0 + kb;
            CpuGemm.accumulate(new View(l, corner, n), new View(l, (k0 + kb) * n + k0, n), View.of(panelT, below),
                    below, kb, below, -1f, false, true);
        }
        Triangles.zeroAboveDiagonal(l, n);
        return l;
    }

    /** Factors the kb x kb diagonal block at k0 in double, writes it back; null if not positive definite. */
    private static double[] factorDiagonalBlock(float[] l, int n, int k0, int kb) {
        double[] d = new double[kb * kb];
        for (int i = 0; i < kb; i++) {
            for (int j = 0; j <= i; j++) {
                d[i * kb + j] = l[(k0 + i) * n + k0 + j];
            }
        }
        for (int j = 0; j < kb; j++) {
            double s = d[j * kb + j];
            for (int t = 0; t < j; t++) {
                s -= d[j * kb + t] * d[j * kb + t];
            }
            if (!(s > 0) || Double.isInfinite(s)) {
                return null;
            }
            double djj = Math.sqrt(s);
            d[j * kb + j] = djj;
            for (int i = j + 1; i < kb; i++) {
                double v = d[i * kb + j];
                for (int t = 0; t < j; t++) {
                    v -= d[i * kb + t] * d[j * kb + t];
                }
                d[i * kb + j] = v / djj;
            }
        }
        for (int i = 0; i < kb; i++) {
            for (int j = 0; j <= i; j++) {
                l[(k0 + i) * n + k0 + j] = (float) d[i * kb + j];
            }
        }
        return d;
    }

    /** L21 = A21 L11⁻ᵀ, row by row (forward substitution in double). */
    private static void solvePanel(float[] l, int n, int k0, int kb, double[] d) {
        IntStream.range(k0 + kb, n).parallel().forEach(i -> {
            double[] x = new double[kb];
            int row = i * n + k0;
            for (int j = 0; j < kb; j++) {
                double v = l[row + j];
                for (int t = 0; t < j; t++) {
                    v -= x[t] * d[j * kb + t];
                }
                x[j] = v / d[j * kb + j];
            }
            for (int j = 0; j < kb; j++) {
                l[row + j] = (float) x[j];
            }
        });
    }

    @Override
    public float[] inverseFromCholesky(float[] l, int n) {
        float[] m = lowerInverse(l, n);
        float[] mt = Transpose.of(m, n, n);
        float[] inv = new float[n * n];
        CpuGemm.accumulate(View.of(inv, n), View.of(mt, n), View.of(m, n), n, n, n, 1f, true, true);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                inv[j * n + i] = inv[i * n + j];
            }
        }
        return inv;
    }

    /** L⁻¹ of a lower-triangular L, a block of rows at a time: M_I = L_II⁻¹ (E_I - L_I,<I M_<I). */
    private static float[] lowerInverse(float[] l, int n) {
        float[] m = new float[n * n];
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int ib = Math.min(BLOCK, n - i0);
            if (i0 > 0) {
                CpuGemm.accumulate(new View(m, i0 * n, n), new View(l, i0 * n, n), View.of(m, n), ib, i0, i0, -1f, true, false);
            }
            for (int r = 0; r < ib; r++) {
                int i = i0 + r;
                m[i * n + i] += 1f;
                for (int t = 0; t < r; t++) {
                    float f = l[i * n + i0 + t];
                    if (f != 0f) {
                        int src = (i0 + t) * n;
                        for (int j = 0; j <= i0 + t; j++) {
                            m[i * n + j] -= f * m[src + j];
                        }
                    }
                }
                float inv = 1f / l[i * n + i];
                for (int j = 0; j <= i; j++) {
                    m[i * n + j] *= inv;
                }
            }
        }
        return m;
    }
}
