package dev.spa.obspa;

import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;
import dev.spa.linalg.Linalg;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * Moments of Add, Sub, Mul and Div: of two activations taken as independent, or of an activation and a constant, or
 * of the two sides of x · g(x) and of a LayerNorm written out, which are not independent. A constant
 * is either one value per channel (a bias, a scale) or, on a value whose channels are on its last axis, a table over
 * positions and channels (a ViT's position embeddings): each position then adds its own row, which moves the channels'
 * mean by the rows' mean and adds the rows' covariance.
 */
final class ElementwiseMoments {
    private final Graph graph;
    private final Shapes shapes;
    private final Linalg linalg;

    ElementwiseMoments(Graph graph, Shapes shapes, Linalg linalg) {
        this.graph = graph;
        this.shapes = shapes;
        this.linalg = linalg;
    }

    /**
     * Add, Sub, Mul or Div of two activations on the same channel axes, or of an activation and a constant; and the
     * patterns where the two sides are not independent: x · g(x) (GELU, SiLU), and a LayerNorm written out (x minus
     * its mean over the channels, divided by their root mean square).
     */
    Moments of(Node node, Moments a, Moments b, FeatureAxes on, boolean sameAxes) {
        Moments dependent = a != null ? dependentSides(node, a, on) : null;
        if (dependent == null && b != null && node.opType().equals("Mul")) {
            dependent = selfGated(node.input(0), node.input(1), b); // g(x) · x
        }
        if (dependent != null) {
            return dependent;
        }
        String op = node.opType();
        int sign = op.equals("Sub") ? -1 : 1;
        if (a != null && b != null && !op.equals("Div")) {
            if (a.channels() != b.channels() || !sameAxes) {
                return null;
            }
            return op.equals("Mul") ? product(a, b) : sum(a, b, sign);
        }
        int activation = a != null ? 0 : 1;
        Moments x = a != null ? a : b;
        Tensor k = graph.constant(node.input(1 - activation));
        boolean lastAxis = on.axes().length == 1 && on.axes()[0] == rank(node.output(0)) - 1;
        return switch (op) {
            case "Mul" -> scaledByConstant(x, k, false);
            case "Div" -> activation == 0 ? scaledByConstant(x, k, true) : null;
            default -> plusConstant(x, k, lastAxis, sign, activation == 1);
        };
    }

    /** The moments where the second operand is computed from the first (input 0, with moments {@code a}), else null. */
    private Moments dependentSides(Node node, Moments a, FeatureAxes on) {
        String other = node.input(1);
        Node producer = graph.producer(other);
        long[] otherShape = shapes.get(other);
        switch (node.opType()) {
            case "Mul":
                return selfGated(other, node.input(0), a);
            case "Sub": {
                boolean meanOverChannels = producer != null && producer.opType().equals("ReduceMean")
                        && producer.input(0).equals(node.input(0)) && on.axes().length == 1
                        && otherShape != null && otherShape.length == rank(node.input(0))
                        && otherShape[on.axes()[0]] == 1;
                return meanOverChannels ? NormalisationMoments.centred(a) : null;
            }
            case "Div": {
                // a divisor computed per position (size 1 on the channel axes): a LayerNorm's root mean square
                boolean perPosition = producer != null && otherShape != null && otherShape.length == rank(node.output(0))
                        && Arrays.stream(on.axes()).allMatch(ax -> otherShape[ax] == 1);
                return perPosition ? NormalisationMoments.rescaled(a) : null;
            }
            default:
                return null;
        }
    }

    /** x · g(x), integrated as one activation, where {@code gate} is g(x) element-wise; null where it is not. */
    private Moments selfGated(String gate, String x, Moments xMoments) {
        DoubleUnaryOperator g = graph.constant(gate) != null ? null : PointwiseChain.of(graph, gate, x);
        return g == null ? null : PointwiseMoments.apply(v -> v * g.applyAsDouble(v), xMoments);
    }

    private int rank(String value) {
        long[] s = shapes.get(value);
        return s == null ? -1 : s.length;
    }

    private static Moments sum(Moments a, Moments b, int sign) {
        int n = a.channels();
        double[] mean = new double[n];
        float[] cov = new float[n * n];
        for (int c = 0; c < n; c++) {
            mean[c] = a.mean()[c] + sign * b.mean()[c];
        }
        for (int i = 0; i < cov.length; i++) {
            cov[i] = a.cov()[i] + b.cov()[i];
        }
        return new Moments(mean, cov);
    }

    /** Independent factors: E[xy xyᵀ] = E[xxᵀ] ∘ E[yyᵀ]. */
    private static Moments product(Moments a, Moments b) {
        int n = a.channels();
        double[] mean = new double[n];
        for (int c = 0; c < n; c++) {
            mean[c] = a.mean()[c] * b.mean()[c];
        }
        float[] cov = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ea = a.cov()[i * n + j] + a.mean()[i] * a.mean()[j];
                double eb = b.cov()[i * n + j] + b.mean()[i] * b.mean()[j];
                cov[i * n + j] = (float) (ea * eb - mean[i] * mean[j]);
            }
        }
        return new Moments(mean, cov);
    }

    /** x + sign·k, or k + sign·x when the constant comes first; null when k is not a per-channel or position table. */
    private Moments plusConstant(Moments x, Tensor k, boolean lastAxisChannels, int sign, boolean constantFirst) {
        Moments constant = constantMoments(k, x.channels(), lastAxisChannels);
        if (constant == null) {
            return null;
        }
        return constantFirst ? sum(constant, x, sign) : sum(x, constant, sign);
    }

    /** x · k, or x / k, for a constant k with one value (or one per channel; none zero to divide by). */
    private static Moments scaledByConstant(Moments x, Tensor k, boolean divide) {
        double[] values = perChannel(k, x.channels());
        if (values == null) {
            return null;
        }
        double[] d = new double[values.length];
        double[] mean = new double[d.length];
        for (int c = 0; c < d.length; c++) {
            if (divide && values[c] == 0) {
                return null;
            }
            d[c] = divide ? 1 / values[c] : values[c];
            mean[c] = x.mean()[c] * d[c];
        }
        return new Moments(mean, Moments.scaled(x.cov(), d));
    }

    /**
     * A constant's values as moments of the channels: one value (or one per channel), with no variance; or, where the
     * channels are on the last axis, a table over positions, whose rows each position adds (their mean and spread).
     */
    private Moments constantMoments(Tensor k, int channels, boolean positionsAllowed) {
        double[] values = perChannel(k, channels);
        if (values != null) {
            return new Moments(values, new float[channels * channels]);
        }
        long numel = k == null ? 0 : k.numel();
        boolean table = positionsAllowed && k != null && k.isFloat() && k.rank() >= 2 && k.dim(k.rank() - 1) == channels
                && numel % channels == 0;
        return table ? Moments.ofRows(k.floats(), (int) (numel / channels), channels, linalg) : null;
    }

    /** One value per channel, from a scalar or a per-channel vector; null for anything else. */
    private static double[] perChannel(Tensor k, int channels) {
        if (k == null || !k.isFloat() || (k.numel() != 1 && k.numel() != channels)) {
            return null;
        }
        float[] v = k.floats();
        double[] values = new double[channels];
        for (int c = 0; c < channels; c++) {
            values[c] = v.length == 1 ? v[0] : v[c];
        }
        return values;
    }
}
