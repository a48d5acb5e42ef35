package dev.spa.obspa;

import dev.spa.Interruption;
import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;
import dev.spa.linalg.Linalg;
import dev.spa.runtime.InputStatistics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;

/**
 * Data-free activation statistics: channel means and covariances carried from an assumed input
 * distribution through the model's own weights. A layer's output channels correlate because they
 * read the same inputs (Σ_out = W Σ_in Wᵀ), which is what lets kept channels stand in for removed
 * ones. Assumptions: the input's channels are independent with the given mean and variance; within a
 * channel, values at neighbouring positions correlate as ρ^(|dy|+|dx|), the same for every channel
 * pair; activations are Gaussian where a nonlinearity is applied; the two sides of an Add, of a Mul
 * and of a Concat are independent of each other; a remaining BatchNormalization gives its channels
 * its trained β as mean and γ² as variance (a LayerNormalization likewise); the channels of a value are
 * followed through transposes and reshapes ({@link FeatureAxes}); tokens joined by a Concat are a mixture;
 * attention (Softmax weights times values) keeps its values' moments, its weights being convex combinations.
 * An operator not modelled here gives its outputs mean 0 and unit independent variance, and is counted. With
 * {@code diagonal}, channels are taken as independent everywhere (the per-channel moments model, kept for
 * comparison).
 */
final class MomentPropagation {
    /** Flattening more features than this would need a covariance too large to hold; such outputs get the default. */
    private static final int MAX_FEATURES = 4096;

    private final Graph graph;
    private final Shapes shapes;
    private final double rho;
    private final boolean diagonal;
    private final Map<String, Moments> moments = new HashMap<>();
    private final Map<String, FeatureAxes> axes = new HashMap<>();
    private final Set<String> defaulted = new HashSet<>();
    private final LayerMoments layers;
    private final ElementwiseMoments elementwise;
    private final Map<String, Integer> pendingReads = new HashMap<>();
    private int assumed;

    /** @param keep values whose moments must survive the walk (the layers' inputs); others are dropped after their last reader */
    MomentPropagation(Graph graph, Shapes shapes, Linalg linalg, InputStatistics input, double rho, boolean diagonal,
                      Set<String> keep) {
        this.graph = graph;
        this.shapes = shapes;
        this.rho = rho;
        this.diagonal = diagonal;
        this.layers = new LayerMoments(graph, linalg, rho);
        this.elementwise = new ElementwiseMoments(graph, shapes, linalg);
        for (Node node : graph.nodes()) {
            node.inputs().forEach(i -> pendingReads.merge(i, 1, Integer::sum));
        }
        keep.forEach(v -> pendingReads.merge(v, 1, Integer::sum));
        graph.inputs().forEach(v -> store(v.getName(), inputMoments(input, channels(v.getName())), conventional(v.getName())));
        for (Node node : graph.nodes()) {
            Interruption.check();
            Carried out = propagate(node);
            if (out == null) {
                assumed++;
            }
            for (String o : node.outputs()) {
                if (!o.isEmpty() && shapes.get(o) != null && pendingReads.containsKey(o)) {
                    boolean fits = out != null && out.axes() != null && out.moments() != null
                            && out.axes().count(shapes.get(o)) == out.moments().channels();
                    if (fits) {
                        store(o, out.moments(), out.axes());
                    } else {
                        store(o, Moments.constant(channels(o), 0, 1), conventional(o));
                        defaulted.add(o);
                    }
                }
            }
            for (String i : node.inputs()) {
                if (pendingReads.merge(i, -1, Integer::sum) <= 0) {
                    moments.remove(i);
                    axes.remove(i);
                }
            }
        }
    }

    /** Moments and the axes their channels are on. */
    private record Carried(Moments moments, FeatureAxes axes) {
    }

    private void store(String value, Moments m, FeatureAxes on) {
        moments.put(value, diagonal ? m.diagonal() : m);
        axes.put(value, on);
    }

    /** Independent input channels with the stated means and variances (their averages when the counts differ). */
    private static Moments inputMoments(InputStatistics input, int channels) {
        double[] mean = input.meansFor(channels);
        double[] std = input.stdsFor(channels);
        float[] cov = new float[channels * channels];
        for (int c = 0; c < channels; c++) {
            cov[c * channels + c] = (float) (std[c] * std[c]);
        }
        return new Moments(mean, cov);
    }

    /**
     * The statistics of a kept value on its conventional channel axis, where a layer reads them (mean 0, unit independent
     * variance where nothing is known).
     */
    Moments of(String value) {
        return readable(value) ? moments.get(value) : Moments.constant(Math.max(1, channels(value)), 0, 1);
    }

    /** Whether a kept value's moments were carried from the input, not the default given after an operator not modelled. */
    boolean propagated(String value) {
        return readable(value) && !defaulted.contains(value);
    }

    /** Whether a value has moments on its conventional channel axis, where a layer reads them. */
    private boolean readable(String value) {
        return moments.containsKey(value) && conventional(value).equals(axes.get(value));
    }

    /** Lets a kept value's moments go once nothing will ask for them again. */
    void forget(String value) {
        moments.remove(value);
        axes.remove(value);
    }

    /** Nodes whose outputs were not modelled and got the default statistics. */
    int assumedNodes() {
        return assumed;
    }

    /** Correlation of two positions of one channel in a kh x kw patch. */
    double correlation(int kw, int a, int b) {
        return LayerMoments.correlation(rho, kw, a, b);
    }

    private int channels(String value) {
        long[] s = shapes.get(value);
        if (s == null || s.length == 0) {
            return 1;
        }
        long c = conventional(value).count(s);
        return c > 0 ? (int) c : 1;
    }

    private FeatureAxes conventional(String value) {
        long[] s = shapes.get(value);
        return FeatureAxes.conventional(s == null ? 0 : s.length);
    }

    private int rank(String value) {
        long[] s = shapes.get(value);
        return s == null ? -1 : s.length;
    }

    /** Input i's moments, whatever axes they are on. */
    private Moments in(Node node, int i) {
        return node.hasInput(i) ? moments.get(node.input(i)) : null;
    }

    /** Input i's moments where they are on its conventional axis (what Conv, BatchNormalization and linear layers read). */
    private Moments conventionalIn(Node node, int i) {
        return node.hasInput(i) && conventional(node.input(i)).equals(axes.get(node.input(i))) ? in(node, i) : null;
    }

    /** Input i's channel axes as they are on the node's output (broadcast to its rank). */
    private FeatureAxes axesOnOutput(Node node, int i) {
        FeatureAxes a = axes.get(node.input(i));
        return a == null ? null : a.shifted(rank(node.output(0)) - rank(node.input(i)));
    }

    private Carried conventionalOut(Node node, Moments m) {
        return m == null ? null : new Carried(m, conventional(node.output(0)));
    }

    /** BatchNormalization's channels are on axis 1 whatever the rank, LayerNormalization's (over the last axis) last. */
    private Carried normalized(Node node) {
        int rank = rank(node.input(0));
        FeatureAxes on = new FeatureAxes(new int[] {node.opType().equals("BatchNormalization") ? 1 : rank - 1});
        Moments x = on.equals(axes.get(node.input(0))) ? in(node, 0) : null;
        Moments m = rank < 2 ? null : layers.normalized(node, x, rank);
        return m == null ? null : new Carried(m, on);
    }

    private Carried propagate(Node node) {
        DoubleUnaryOperator f = PointwiseMoments.function(node, graph);
        if (f != null && in(node, 0) != null) {
            return new Carried(PointwiseMoments.apply(f, in(node, 0)), axesOnOutput(node, 0));
        }
        switch (node.opType()) {
            case "Conv": return conventionalOut(node, layers.conv(node, conventionalIn(node, 0)));
            case "Gemm": case "MatMul": return LinearLayer.of(graph, node) != null ? conventionalOut(node, layers.linear(node, conventionalIn(node, 0))) : attention(node);
            case "BatchNormalization": case "LayerNormalization": return normalized(node);
            case "Add": case "Sub": case "Mul": case "Div": return elementwise(node);
            case "Concat": return concat(node);
            case "GlobalAveragePool": case "AveragePool": case "ReduceMean": return average(node);
            case "MaxPool": return in(node, 0) == null ? null : new Carried(in(node, 0), axesOnOutput(node, 0));
            case "Transpose": return transposed(node);
            case "Flatten": case "Reshape": case "Squeeze": case "Unsqueeze": return reshaped(node);
            case "ConstantOfShape": return filled(node);
            case "Gather": return conventionalOut(node, layers.embedding(node));
            default: return null;
        }
    }

    private Carried elementwise(Node node) {
        Moments a = in(node, 0);
        Moments b = in(node, 1);
        FeatureAxes on = a != null ? axesOnOutput(node, 0) : b != null ? axesOnOutput(node, 1) : null;
        boolean sameAxes = a != null && b != null && on != null && on.equals(axesOnOutput(node, 1));
        Moments m = on == null ? null : elementwise.of(node, a, b, on, sameAxes);
        return m == null ? null : new Carried(m, on);
    }

    /**
     * Along the channel axis: the channels side by side, each part's covariance a block (parts independent). Along
     * another axis (a class token joined to the patch tokens): a mixture of the parts by their sizes on that axis.
     */
    private Carried concat(Node node) {
        long[] out = shapes.get(node.output(0));
        FeatureAxes first = axesOnOutput(node, 0);
        if (out == null || first == null) {
            return null;
        }
        int axis = Shapes.axis(node.attrInt("axis", 1), out.length);
        if (first.contains(axis)) {
            return first.axes().length == 1 ? conventionalOut(node, channelConcat(node)) : null;
        }
        Moments[] parts = new Moments[node.inputs().size()];
        double[] weights = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long[] s = shapes.get(node.input(i));
            parts[i] = in(node, i);
            if (parts[i] == null || s == null || !first.equals(axesOnOutput(node, i)) || parts[i].channels() != parts[0].channels()) {
                return null;
            }
            weights[i] = s[axis];
        }
        return new Carried(Mixture.of(parts, weights), first);
    }

    private Moments channelConcat(Node node) {
        int total = channels(node.output(0));
        double[] mean = new double[total];
        float[] cov = new float[total * total];
        int at = 0;
        for (int i = 0; i < node.inputs().size(); i++) {
            Moments m = conventionalIn(node, i);
            if (m == null || at + m.channels() > total) {
                return null;
            }
            int n = m.channels();
            System.arraycopy(m.mean(), 0, mean, at, n);
            for (int r = 0; r < n; r++) {
                System.arraycopy(m.cov(), r * n, cov, (at + r) * total + at, n);
            }
            at += n;
        }
        return at == total ? new Moments(mean, cov) : null;
    }

    /**
     * Averaging A correlated positions keeps the mean and scales the covariance by ρ + (1 - ρ) / A: pooling over the
     * spatial axes, or a ReduceMean over axes that are not the channels' (a ViT's mean over its tokens).
     */
    private Carried average(Node node) {
        Moments x = in(node, 0);
        long[] s = shapes.get(node.input(0));
        long[] o = shapes.get(node.output(0));
        FeatureAxes on = axes.get(node.input(0));
        if (x == null || s == null || o == null || on == null) {
            return null;
        }
        FeatureAxes after = on;
        if (node.opType().equals("ReduceMean")) {
            long[] listed = node.hasInput(1) ? shapes.value(node.input(1)) : node.attrInts("axes");
            int[] reduced = listed == null ? IntStream.range(0, s.length).toArray()
                    : Arrays.stream(listed).mapToInt(a -> Shapes.axis(a, s.length)).toArray();
            after = on.reduced(reduced, node.attrInt("keepdims", 1) == 1);
        } else if (s.length != 4 || o.length != 4) {
            return null;
        }
        long kept = Shapes.product(o, 0, o.length);
        long all = Shapes.product(s, 0, s.length);
        if (after == null || kept <= 0 || all <= 0) {
            return null;
        }
        double area = (double) all / kept;
        double factor = rho + (1 - rho) / Math.max(1, area);
        float[] cov = x.cov().clone();
        for (int i = 0; i < cov.length; i++) {
            cov[i] *= (float) factor;
        }
        return new Carried(new Moments(x.mean(), cov), after);
    }

    private Carried transposed(Node node) {
        Moments x = in(node, 0);
        FeatureAxes on = axes.get(node.input(0));
        FeatureAxes after = x == null || on == null ? null : on.transposed(Shapes.permutation(node, rank(node.input(0))));
        return after == null ? null : new Carried(x, after);
    }

    /**
     * The same channels moved by a reshape (a split into heads, a merge back, a squeeze), or channels flattened with
     * their positions into blocks of (independent) positions.
     */
    private Carried reshaped(Node node) {
        Moments x = in(node, 0);
        FeatureAxes on = axes.get(node.input(0));
        long[] s = shapes.get(node.input(0));
        long[] o = shapes.get(node.output(0));
        if (x == null || on == null || s == null || o == null) {
            return null;
        }
        FeatureAxes moved = on.reshaped(s, o);
        if (moved != null) {
            return new Carried(x, moved);
        }
        int out = channels(node.output(0));
        if (!on.isConventional(s.length) || out % x.channels() != 0 || out > MAX_FEATURES) {
            return null;
        }
        int block = out / x.channels();
        int in = x.channels();
        double[] mean = new double[out];
        float[] cov = new float[out * out];
        for (int i = 0; i < out; i++) {
            mean[i] = x.mean()[i / block];
            for (int j = 0; j < out; j++) {
                if (i % block == j % block) {
                    cov[i * out + j] = x.cov()[(i / block) * in + j / block];
                }
            }
        }
        return conventionalOut(node, new Moments(mean, cov));
    }

    /** ConstantOfShape: every element the fill value, no variance. */
    private Carried filled(Node node) {
        double fill = 0;
        if (node.hasAttribute("value")) {
            Tensor t = Tensor.fromProto(node.attribute("value").getT(), null);
            long[] ints = t.isFloat() ? null : t.longsOrNull();
            fill = t.isFloat() ? t.floats()[0] : ints != null && ints.length == 1 ? ints[0] : 0;
        }
        int n = channels(node.output(0));
        return new Carried(Moments.constant(n, fill, 0), conventional(node.output(0)));
    }

    /**
     * Softmax(...) · V: each output row is a convex combination of V's rows, so its channels keep V's mean; their
     * covariance is taken as V's (exact where each token attends to one, an upper bound where it spreads). Any other
     * product of two activations is not modelled.
     */
    private Carried attention(Node node) {
        Node weights = graph.producer(node.input(0));
        Moments v = in(node, 1);
        FeatureAxes on = axesOnOutput(node, 1);
        boolean softmax = weights != null && weights.opType().equals("Softmax")
                && Shapes.axis(weights.attrInt("axis", -1), Math.max(1, rank(weights.output(0)))) == rank(weights.output(0)) - 1;
        if (!softmax || v == null || on == null || axes.get(node.input(1)).contains(rank(node.input(1)) - 2)) {
            return null;
        }
        return new Carried(v, on);
    }
}
