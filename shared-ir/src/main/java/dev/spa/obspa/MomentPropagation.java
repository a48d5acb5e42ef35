package dev.spa.obspa;

import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;

import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Data-free activation statistics: per-channel mean and variance carried from an assumed input
 * distribution through the graph. Assumptions: channels are independent of each other; within a
 * channel, values at neighbouring positions correlate as ρ^(|dy|+|dx|); where a BatchNormalization
 * remains, its output has its trained β as mean and γ² as variance (the statistics it was trained
 * with); an operator not modelled here gives its outputs mean 0 and variance 1, and is counted.
 */
final class MomentPropagation {
    private final Graph graph;
    private final Shapes shapes;
    private final double rho;
    private final Map<String, Moments> moments = new HashMap<>();
    private int assumed;

    MomentPropagation(Graph graph, Shapes shapes, double inputMean, double inputStd, double rho) {
        this.graph = graph;
        this.shapes = shapes;
        this.rho = rho;
        graph.inputs().forEach(v -> moments.put(v.getName(), Moments.constant(channels(v.getName()), inputMean, inputStd * inputStd)));
        for (Node node : graph.nodes()) {
            Moments out = propagate(node);
            if (out == null) {
                assumed++;
            }
            for (String o : node.outputs()) {
                if (!o.isEmpty() && shapes.get(o) != null) {
                    moments.put(o, out != null && out.channels() == channels(o) ? out : Moments.constant(channels(o), 0, 1));
                }
            }
        }
    }

    /** The statistics of a value (mean 0, variance 1 where nothing is known). */
    Moments of(String value) {
        Moments m = moments.get(value);
        return m != null ? m : Moments.constant(Math.max(1, channels(value)), 0, 1);
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
        return moments.get(node.input(i));
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

    private Moments conv(Node node) {
        Tensor w = graph.constant(node.input(1));
        Moments x = in(node, 0);
        if (w == null || x == null || w.rank() != 4) {
            return null;
        }
        int outC = (int) w.dim(0);
        int perGroup = (int) w.dim(1);
        int kh = (int) w.dim(2);
        int kw = (int) w.dim(3);
        int area = kh * kw;
        int outPerGroup = outC / (int) node.attrInt("group", 1);
        float[] wv = w.floats();
        float[] bias = node.hasInput(2) && graph.constant(node.input(2)) != null ? graph.constant(node.input(2)).floats() : null;
        double[] mean = new double[outC];
        double[] var = new double[outC];
        for (int o = 0; o < outC; o++) {
            int firstIn = o / outPerGroup * perGroup;
            double m = bias == null ? 0 : bias[o];
            double v = 0;
            for (int c = 0; c < perGroup; c++) {
                int base = (o * perGroup + c) * area;
                double sum = 0;
                double quad = 0;
                for (int a = 0; a < area; a++) {
                    sum += wv[base + a];
                    for (int b = 0; b < area; b++) {
                        quad += wv[base + a] * wv[base + b] * correlation(kw, a, b);
                    }
                }
                m += sum * x.mean()[firstIn + c];
                v += quad * x.var()[firstIn + c];
            }
            mean[o] = m;
            var[o] = v;
        }
        return new Moments(mean, var);
    }

    private Moments linear(Node node) {
        LinearLayer layer = LinearLayer.of(graph, node);
        Moments x = in(node, 0);
        if (layer == null || x == null || x.channels() != layer.inputChannels()) {
            return null;
        }
        float[] w = layer.matrix(graph);
        int n = layer.hessianColumns();
        double[] mean = new double[layer.outputs()];
        double[] var = new double[layer.outputs()];
        for (int o = 0; o < mean.length; o++) {
            double m = layer.bias() == null ? 0 : w[o * n + n - 1];
            double v = 0;
            for (int i = 0; i < layer.inputChannels(); i++) {
                m += w[o * n + i] * x.mean()[i];
                v += (double) w[o * n + i] * w[o * n + i] * x.var()[i];
            }
            mean[o] = m;
            var[o] = v;
        }
        return new Moments(mean, var);
    }

    private Moments batchNorm(Node node) {
        Tensor gamma = graph.constant(node.input(1));
        Tensor beta = graph.constant(node.input(2));
        if (gamma == null || beta == null) {
            return null;
        }
        float[] g = gamma.floats();
        float[] b = beta.floats();
        double[] mean = new double[g.length];
        double[] var = new double[g.length];
        for (int c = 0; c < g.length; c++) {
            mean[c] = b[c];
            var[c] = (double) g[c] * g[c];
        }
        return new Moments(mean, var);
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
        if (a != null && b != null && a.channels() == b.channels()) {
            double[] mean = new double[a.channels()];
            double[] var = new double[a.channels()];
            for (int c = 0; c < mean.length; c++) {
                mean[c] = a.mean()[c] + sign * b.mean()[c];
                var[c] = a.var()[c] + b.var()[c];
            }
            return new Moments(mean, var);
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
        return new Moments(mean, x.var().clone());
    }

    private Moments product(Node node) {
        Moments a = in(node, 0);
        Moments b = in(node, 1);
        int channels = channels(node.output(0));
        if (a != null && b != null && a.channels() == channels && b.channels() == channels) {
            double[] mean = new double[channels];
            double[] var = new double[channels];
            for (int c = 0; c < channels; c++) {
                double e2 = (a.var()[c] + a.mean()[c] * a.mean()[c]) * (b.var()[c] + b.mean()[c] * b.mean()[c]);
                mean[c] = a.mean()[c] * b.mean()[c];
                var[c] = Math.max(0, e2 - mean[c] * mean[c]);
            }
            return new Moments(mean, var);
        }
        Moments x = a != null ? a : b;
        double[] k = constantPerChannel(a != null ? node.input(1) : node.input(0), channels);
        if (x == null || k == null || x.channels() != channels) {
            return null;
        }
        double[] mean = new double[channels];
        double[] var = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = x.mean()[c] * k[c];
            var[c] = x.var()[c] * k[c] * k[c];
        }
        return new Moments(mean, var);
    }

    private Moments concat(Node node) {
        long[] out = shapes.get(node.output(0));
        int axis = (int) node.attrInt("axis", 1);
        if (out == null || Shapes.axis(axis, out.length) != (out.length == 4 ? 1 : out.length - 1)) {
            return null;
        }
        int total = channels(node.output(0));
        double[] mean = new double[total];
        double[] var = new double[total];
        int at = 0;
        for (String i : node.inputs()) {
            Moments m = moments.get(i);
            if (m == null || at + m.channels() > total) {
                return null;
            }
            System.arraycopy(m.mean(), 0, mean, at, m.channels());
            System.arraycopy(m.var(), 0, var, at, m.channels());
            at += m.channels();
        }
        return at == total ? new Moments(mean, var) : null;
    }

    /** Averaging A correlated positions keeps the mean and scales the variance by ρ + (1 - ρ) / A. */
    private Moments average(Node node) {
        Moments x = in(node, 0);
        long[] s = shapes.get(node.input(0));
        long[] o = shapes.get(node.output(0));
        if (x == null || s == null || o == null || s.length != 4 || o.length != 4) {
            return null;
        }
        double area = (double) (s[2] * s[3]) / Math.max(1, o[2] * o[3]);
        double factor = rho + (1 - rho) / Math.max(1, area);
        double[] var = x.var().clone();
        for (int c = 0; c < var.length; c++) {
            var[c] *= factor;
        }
        return new Moments(x.mean().clone(), var);
    }

    /** Layout changes: the same channels, or channels flattened into blocks of features. */
    private Moments reshaped(Node node) {
        Moments x = in(node, 0);
        int out = channels(node.output(0));
        if (x == null) {
            return null;
        }
        if (out == x.channels()) {
            return x;
        }
        if (out % x.channels() != 0) {
            return null;
        }
        int block = out / x.channels();
        double[] mean = new double[out];
        double[] var = new double[out];
        for (int i = 0; i < out; i++) {
            mean[i] = x.mean()[i / block];
            var[i] = x.var()[i / block];
        }
        return new Moments(mean, var);
    }
}
