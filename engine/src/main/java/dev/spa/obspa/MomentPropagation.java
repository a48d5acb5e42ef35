package dev.spa.obspa;

import dev.spa.Interruption;
import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;
import dev.spa.linalg.Linalg;
import dev.spa.linalg.Transpose;
import dev.spa.runtime.InputStatistics;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * Data-free activation statistics: channel means and covariances carried from an assumed input
 * distribution through the model's own weights. A layer's output channels correlate because they
 * read the same inputs (Σ_out = W Σ_in Wᵀ), which is what lets kept channels stand in for removed
 * ones. Assumptions: the input's channels are independent with the given mean and variance; within a
 * channel, values at neighbouring positions correlate as ρ^(|dy|+|dx|), the same for every channel
 * pair; activations are Gaussian where a nonlinearity is applied; the two sides of an Add, of a Mul
 * and of a Concat are independent of each other; a remaining BatchNormalization gives its channels
 * its trained β as mean and γ² as variance. An operator not modelled here gives its outputs mean 0
 * and unit independent variance, and is counted. With {@code diagonal}, channels are taken as
 * independent everywhere (the per-channel moments model, kept for comparison).
 */
final class MomentPropagation {
    /** Flattening more features than this would need a covariance too large to hold; such outputs get the default. */
    private static final int MAX_FEATURES = 4096;

    private final Graph graph;
    private final Shapes shapes;
    private final Linalg linalg;
    private final double rho;
    private final boolean diagonal;
    private final Map<String, Moments> moments = new HashMap<>();
    private final Map<String, Integer> pendingReads = new HashMap<>();
    private int assumed;

    /** @param keep values whose moments must survive the walk (the layers' inputs); others are dropped after their last reader */
    MomentPropagation(Graph graph, Shapes shapes, Linalg linalg, InputStatistics input, double rho, boolean diagonal,
                      Set<String> keep) {
        this.graph = graph;
        this.shapes = shapes;
        this.linalg = linalg;
        this.rho = rho;
        this.diagonal = diagonal;
        for (Node node : graph.nodes()) {
            node.inputs().forEach(i -> pendingReads.merge(i, 1, Integer::sum));
        }
        keep.forEach(v -> pendingReads.merge(v, 1, Integer::sum));
        graph.inputs().forEach(v -> moments.put(v.getName(), inputMoments(input, channels(v.getName()))));
        for (Node node : graph.nodes()) {
            Interruption.check();
            Moments out = propagate(node);
            if (out == null) {
                assumed++;
            }
            for (String o : node.outputs()) {
                if (!o.isEmpty() && shapes.get(o) != null && pendingReads.containsKey(o)) {
                    Moments m = out != null && out.channels() == channels(o) ? out : Moments.constant(channels(o), 0, 1);
                    moments.put(o, diagonal ? m.diagonal() : m);
                }
            }
            for (String i : node.inputs()) {
                if (pendingReads.merge(i, -1, Integer::sum) <= 0) {
                    moments.remove(i);
                }
            }
        }
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

    /** The statistics of a kept value (mean 0, unit independent variance where nothing is known). */
    Moments of(String value) {
        Moments m = moments.get(value);
        return m != null ? m : Moments.constant(Math.max(1, channels(value)), 0, 1);
    }

    /** Lets a kept value's moments go once nothing will ask for them again. */
    void forget(String value) {
        moments.remove(value);
    }

    /** Nodes whose outputs were not modelled and got the default statistics. */
    int assumedNodes() {
        return assumed;
    }

    /** Correlation of two positions of one channel in a kh x kw patch. */
    double correlation(int kw, int a, int b) {
        int d = Math.abs(a / kw - b / kw) + Math.abs(a % kw - b % kw);
        return d == 0 ? 1 : Math.pow(rho, d);
    }

    private int channels(String value) {
        long[] s = shapes.get(value);
        if (s == null || s.length == 0) {
            return 1;
        }
        long c = s.length == 4 ? s[1] : s[s.length - 1];
        return c > 0 ? (int) c : 1;
    }

    private Moments in(Node node, int i) {
        return node.hasInput(i) ? moments.get(node.input(i)) : null;
    }

    private Moments propagate(Node node) {
        DoubleUnaryOperator f = PointwiseMoments.function(node, graph);
        if (f != null && in(node, 0) != null) {
            return PointwiseMoments.apply(f, in(node, 0));
        }
        switch (node.opType()) {
            case "Conv": return conv(node);
            case "Gemm": case "MatMul": return linear(node);
            case "BatchNormalization": return batchNorm(node);
            case "Add": case "Sub": return sum(node, node.opType().equals("Sub") ? -1 : 1);
            case "Mul": return product(node);
            case "Concat": return concat(node);
            case "GlobalAveragePool": case "AveragePool": case "ReduceMean": return average(node);
            case "MaxPool": case "Flatten": case "Reshape": case "Squeeze": case "Unsqueeze": return reshaped(node);
            default: return null;
        }
    }

    /**
     * Σ_out[o][o'] = Σ_{c,c'} Σ_in[c][c'] · m_o(c)ᵀ R m_o'(c'), with m_o(c) the kernel of output o on
     * input c (zero outside o's group) and R the spatial correlation of a patch's positions.
     */
    private Moments conv(Node node) {
        Tensor w = graph.constant(node.input(1));
        Moments x = in(node, 0);
        if (w == null || x == null || w.rank() != 4) {
            return null;
        }
        int outC = (int) w.dim(0);
        int perGroup = (int) w.dim(1);
        int kw = (int) w.dim(3);
        int area = (int) (w.dim(2) * w.dim(3));
        int inC = x.channels();
        int groups = (int) node.attrInt("group", 1);
        int outPerGroup = outC / groups;
        float[] wv = w.floats();
        float[] r = new float[area * area];
        for (int a = 0; a < area; a++) {
            for (int b = 0; b < area; b++) {
                r[a * area + b] = (float) correlation(kw, a, b);
            }
        }
        Tensor biasTensor = node.hasInput(2) ? graph.constant(node.input(2)) : null;
        float[] bias = biasTensor == null ? null : biasTensor.floats(); // decoded once, not per output
        if (perGroup == 1 && inC == groups) {
            return DepthwiseMoments.of(x, wv, outC, area, outPerGroup, r, bias, linalg);
        }
        // m laid out [inC][outC * area]: column (o, a) holds W[o, c - first(o), a] for c in o's group
        float[] m = new float[inC * outC * area];
        double[] mean = new double[outC];
        for (int o = 0; o < outC; o++) {
            int first = o / outPerGroup * perGroup;
            mean[o] = bias == null ? 0 : bias[o];
            for (int c = 0; c < perGroup; c++) {
                for (int a = 0; a < area; a++) {
                    float v = wv[(o * perGroup + c) * area + a];
                    m[(first + c) * outC * area + o * area + a] = v;
                    mean[o] += v * x.mean()[first + c];
                }
            }
        }
        float[] sm = linalg.multiply(x.cov(), m, inC, inC, outC * area); // Σ_in m: [inC][outC * area]
        // (Σ_in m) R per output, then contract with m over (c, a): Σ_out = Mᵀ (Σ_in M R)
        float[] smr = new float[sm.length];
        for (int c = 0; c < inC; c++) {
            for (int o = 0; o < outC; o++) {
                int base = c * outC * area + o * area;
                for (int b = 0; b < area; b++) {
                    double v = 0;
                    for (int a = 0; a < area; a++) {
                        v += sm[base + a] * r[a * area + b];
                    }
                    smr[base + b] = (float) v;
                }
            }
        }
        float[] mt = BlockLayout.outerFirst(m, inC, outC, area);   // [outC][inC * area]
        float[] smrByC = BlockLayout.areaInside(smr, inC, outC, area);     // [inC * area][outC]
        return new Moments(mean, linalg.multiply(mt, smrByC, outC, inC * area, outC));
    }

    private Moments linear(Node node) {
        LinearLayer layer = LinearLayer.of(graph, node);
        Moments x = in(node, 0);
        if (layer == null || x == null || x.channels() != layer.inputChannels()) {
            return null;
        }
        float[] full = layer.matrix(graph);
        int n = layer.hessianColumns();
        int k = layer.inputChannels();
        int outs = layer.outputs();
        float[] w = new float[outs * k];
        double[] mean = new double[outs];
        for (int o = 0; o < outs; o++) {
            mean[o] = layer.bias() == null ? 0 : full[o * n + n - 1];
            for (int i = 0; i < k; i++) {
                w[o * k + i] = full[o * n + i];
                mean[o] += full[o * n + i] * x.mean()[i];
            }
        }
        return new Moments(mean, linalg.multiply(linalg.multiply(w, x.cov(), outs, k, k), Transpose.of(w, outs, k), outs, k, outs));
    }

    /** Mean β and variance γ² from training, correlations as propagated. */
    private Moments batchNorm(Node node) {
        Tensor gamma = graph.constant(node.input(1));
        Tensor beta = graph.constant(node.input(2));
        Moments x = in(node, 0);
        if (gamma == null || beta == null || x == null || x.channels() != gamma.numel()) {
            return null;
        }
        float[] g = gamma.floats();
        float[] b = beta.floats();
        double[] mean = new double[g.length];
        double[] d = new double[g.length];
        for (int c = 0; c < g.length; c++) {
            mean[c] = b[c];
            double s = Math.sqrt(x.var(c));
            d[c] = s > 0 ? g[c] / s : 0;
        }
        float[] cov = Moments.scaled(x.cov(), d);
        for (int c = 0; c < g.length; c++) {
            cov[c * g.length + c] = g[c] * g[c];
        }
        return new Moments(mean, cov);
    }

    /** Per-channel values of a constant operand (a bias or a scale), broadcast to {@code channels}. */
    private double[] constantPerChannel(String value, int channels) {
        Tensor t = graph.constant(value);
        if (t == null || !t.isFloat()) {
            return null;
        }
        float[] v = t.floats();
        if (v.length != 1 && v.length != channels) {
            return null;
        }
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            out[c] = v.length == 1 ? v[0] : v[c];
        }
        return out;
    }

    private Moments sum(Node node, int sign) {
        Moments a = in(node, 0);
        Moments b = in(node, 1);
        int channels = channels(node.output(0));
        if (a != null && b != null && a.channels() == channels && b.channels() == channels) {
            double[] mean = new double[channels];
            float[] cov = new float[channels * channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = a.mean()[c] + sign * b.mean()[c];
            }
            for (int i = 0; i < cov.length; i++) {
                cov[i] = a.cov()[i] + b.cov()[i];
            }
            return new Moments(mean, cov);
        }
        Moments x = a != null ? a : b;
        double[] k = constantPerChannel(a != null ? node.input(1) : node.input(0), channels);
        if (x == null || k == null || x.channels() != channels) {
            return null;
        }
        double[] mean = x.mean().clone();
        for (int c = 0; c < mean.length; c++) {
            mean[c] += (a != null ? sign : 1) * k[c];
        }
        return new Moments(mean, x.cov());
    }

    /** Independent factors: E[xy xyᵀ] = E[xxᵀ] ∘ E[yyᵀ]; a constant factor scales. */
    private Moments product(Node node) {
        Moments a = in(node, 0);
        Moments b = in(node, 1);
        int channels = channels(node.output(0));
        if (a != null && b != null && a.channels() == channels && b.channels() == channels) {
            double[] mean = new double[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = a.mean()[c] * b.mean()[c];
            }
            float[] cov = new float[channels * channels];
            for (int i = 0; i < channels; i++) {
                for (int j = 0; j < channels; j++) {
                    double ea = a.cov()[i * channels + j] + a.mean()[i] * a.mean()[j];
                    double eb = b.cov()[i * channels + j] + b.mean()[i] * b.mean()[j];
                    cov[i * channels + j] = (float) (ea * eb - mean[i] * mean[j]);
                }
            }
            return new Moments(mean, cov);
        }
        Moments x = a != null ? a : b;
        double[] k = constantPerChannel(a != null ? node.input(1) : node.input(0), channels);
        if (x == null || k == null || x.channels() != channels) {
            return null;
        }
        double[] mean = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = x.mean()[c] * k[c];
        }
        return new Moments(mean, Moments.scaled(x.cov(), k));
    }

    private Moments concat(Node node) {
        long[] out = shapes.get(node.output(0));
        if (out == null || Shapes.axis(node.attrInt("axis", 1), out.length) != (out.length == 4 ? 1 : out.length - 1)) {
            return null;
        }
        int total = channels(node.output(0));
        double[] mean = new double[total];
        float[] cov = new float[total * total];
        int at = 0;
        for (String i : node.inputs()) {
            Moments m = moments.get(i);
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

    /** Averaging A correlated positions keeps the mean and scales the covariance by ρ + (1 - ρ) / A. */
    private Moments average(Node node) {
        Moments x = in(node, 0);
        long[] s = shapes.get(node.input(0));
        long[] o = shapes.get(node.output(0));
        if (x == null || s == null || o == null || s.length != 4 || o.length != 4) {
            return null;
        }
        double area = (double) (s[2] * s[3]) / Math.max(1, o[2] * o[3]);
        double factor = rho + (1 - rho) / Math.max(1, area);
        float[] cov = x.cov().clone();
        for (int i = 0; i < cov.length; i++) {
            cov[i] *= (float) factor;
        }
        return new Moments(x.mean(), cov);
    }

    /** Layout changes: the same channels, or channels flattened into blocks of (independent) positions. */
    private Moments reshaped(Node node) {
        Moments x = in(node, 0);
        int out = channels(node.output(0));
        if (x == null) {
            return null;
        }
        if (out == x.channels()) {
            return x;
        }
        if (out % x.channels() != 0 || out > MAX_FEATURES) {
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
        return new Moments(mean, cov);
    }
}
