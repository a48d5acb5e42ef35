package dev.spa.obspa;

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix (a patch's spatial correlation, kh*kw square) by
 * cyclic Jacobi rotations: simple and accurate to double precision at these sizes.
 */
final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    private final double[] values;
    /** Row-major n x n; column g is the eigenvector of values[g]. */
    private final double[] vectors;

    private SymmetricEigen(double[] values, double[] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    static SymmetricEigen of(double[] symmetric, int n) {
        double[] a = symmetric.clone();
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(a, n) > 1e-30 * Math.max(1, diagonal(a, n)); sweep++) {
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p * n + q] != 0) {
                        rotate(a, v, n, p, q);
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i * n + i];
        }
        return new SymmetricEigen(values, v);
    }

    /** Zeroes a[p][q] by a rotation in the (p, q) plane, applied to A on both sides and accumulated into V. */
    private static void rotate(double[] a, double[] v, int n, int p, int q) {
        double theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q]);
        double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < n; k++) { // A ← A J (columns p and q)
            double akp = a[k * n + p];
            double akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) { // A ← Jᵀ A (rows p and q)
            double apk = a[p * n + k];
            double aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k * n + p];
            double vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }

    private static double offDiagonal(double[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s += i == j ? 0 : a[i * n + j] * a[i * n + j];
            }
        }
        return s;
    }

    private static double diagonal(double[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i * n + i] * a[i * n + i];
        }
        return s;
    }

    double value(int g) {
        return values[g];
    }

    /** Component i of eigenvector g. */
    double vector(int g, int i) {
        return vectors[i * values.length + g];
    }
}
