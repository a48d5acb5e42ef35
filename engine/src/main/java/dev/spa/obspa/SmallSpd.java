package dev.spa.obspa;

/**
 * A small symmetric positive-definite matrix (one channel's kh*kw block of H⁻¹) factored in double,
 * for tr(S⁻¹ G). A block that is not positive definite is regularised until it is.
 */
final class SmallSpd {
    private final double[] l;
    private final int n;

    private SmallSpd(double[] l, int n) {
        this.l = l;
        this.n = n;
    }

    static SmallSpd factor(double[] s, int n) {
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += Math.abs(s[i * n + i]);
        }
        double jitter = 0;
        for (int attempt = 0; attempt < 40; attempt++) {
            double[] l = cholesky(s, n, jitter);
            if (l != null) {
                return new SmallSpd(l, n);
            }
            jitter = jitter == 0 ? 1e-9 * Math.max(trace / n, 1e-30) : jitter * 10;
        }
        double[] identity = new double[n * n]; // not a number anywhere: score as plain squared norm
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1;
        }
        return new SmallSpd(identity, n);
    }

    private static double[] cholesky(double[] s, int n, double jitter) {
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double d = s[j * n + j] + jitter;
            for (int t = 0; t < j; t++) {
                d -= l[j * n + t] * l[j * n + t];
            }
            if (!(d > 0)) {
                return null;
            }
            l[j * n + j] = Math.sqrt(d);
            for (int i = j + 1; i < n; i++) {
                double v = s[i * n + j];
                for (int t = 0; t < j; t++) {
                    v -= l[i * n + t] * l[j * n + t];
                }
                l[i * n + j] = v / l[j * n + j];
            }
        }
        return l;
    }

    /** tr(S⁻¹ G) for a symmetric G: Σ over G's columns g_j of (S⁻¹ g_j)_j, by two triangular solves each. */
    double traceOfInverseTimes(double[] g) {
        double trace = 0;
        double[] y = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double x = g[i * n + j];
                for (int t = 0; t < i; t++) {
                    x -= l[i * n + t] * y[t];
                }
                y[i] = x / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double x = y[i];
                for (int t = i + 1; t < n; t++) {
                    x -= l[t * n + i] * y[t];
                }
                y[i] = x / l[i * n + i];
            }
            trace += y[j];
        }
        return trace;
    }
}
