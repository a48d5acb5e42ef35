package dev.spa.obspa;

import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Tensor;

import java.util.function.DoubleUnaryOperator;

/**
 * Mean and variance of f(x) for x ~ N(m, v) and an element-wise activation f, by numerical
 * integration over ±8 standard deviations: one method for every activation the engine knows.
 */
final class PointwiseMoments {
    private static final int POINTS = 400;

    private PointwiseMoments() {
    }

    /** The activation a node applies, or null when it is not an element-wise function of one input. */
    static DoubleUnaryOperator function(Node node, Graph graph) {
        switch (node.opType()) {
            case "Relu": return x -> Math.max(0, x);
            case "LeakyRelu": {
                double a = node.attrFloat("alpha", 0.01f);
                return x -> x >= 0 ? x : a * x;
            }
            case "Clip": {
                double lo = bound(node, graph, 1, "min", Double.NEGATIVE_INFINITY);
                double hi = bound(node, graph, 2, "max", Double.POSITIVE_INFINITY);
                return x -> Math.min(hi, Math.max(lo, x));
            }
            case "Sigmoid": return x -> 1 / (1 + Math.exp(-x));
            case "Tanh": return Math::tanh;
            case "HardSigmoid": {
                double a = node.attrFloat("alpha", 0.2f);
                double b = node.attrFloat("beta", 0.5f);
                return x -> Math.max(0, Math.min(1, a * x + b));
            }
            case "HardSwish": return x -> x * Math.max(0, Math.min(1, x / 6 + 0.5));
            case "Erf": return PointwiseMoments::erf;
            case "Identity": case "Dropout": case "Cast": return x -> x;
            default: return null;
        }
    }

    /** The error function (Abramowitz and Stegun 7.1.26, absolute error under 1.5e-7): GELU's exact form uses it. */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return Math.signum(x) * (1 - poly * Math.exp(-x * x));
    }

    private static double bound(Node node, Graph graph, int input, String attr, double fallback) {
        if (node.hasInput(input) && !node.input(input).isEmpty()) {
            Tensor t = graph.constant(node.input(input));
            return t == null ? fallback : t.floats()[0];
        }
        return node.hasAttribute(attr) ? node.attrFloat(attr, 0f) : fallback;
    }

    /**
     * Exact per-channel mean and variance of f(x) under a Gaussian; covariances between channels
     * carried through the expected slope E[f'(x)] (Stein: E[(x - μ) f(x)] / σ²), capped so the
     * result stays a covariance: Σ' = DΣD + diag(exact variance - (DΣD)_ii).
     */
    static Moments apply(DoubleUnaryOperator f, Moments in) {
        int n = in.channels();
        double[] mean = new double[n];
        double[] var = new double[n];
        double[] gain = new double[n];
        for (int c = 0; c < n; c++) {
            double m = in.mean()[c];
            double s = Math.sqrt(in.var(c));
            if (s == 0) {
                mean[c] = f.applyAsDouble(m);
                continue;
            }
            double e1 = 0;
            double e2 = 0;
            double ez = 0;
            double h = 16.0 / POINTS;
            for (int i = 0; i <= POINTS; i++) {
                double z = -8 + i * h;
                double weight = (i == 0 || i == POINTS ? 1 : (i % 2 == 1 ? 4 : 2)) * h / 3 * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
                double y = f.applyAsDouble(m + s * z);
                e1 += weight * y;
                e2 += weight * y * y;
                ez += weight * z * y;
            }
            mean[c] = e1;
            var[c] = Math.max(0, e2 - e1 * e1);
            double slope = ez / s;
            gain[c] = Math.signum(slope) * Math.min(Math.abs(slope), Math.sqrt(var[c]) / s);
        }
        float[] cov = Moments.scaled(in.cov(), gain);
        for (int c = 0; c < n; c++) {
            cov[c * n + c] = (float) var[c];
        }
        return new Moments(mean, cov);
    }
}
