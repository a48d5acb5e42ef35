package dev.spa.obspa;

import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;
import dev.spa.linalg.Linalg;
import dev.spa.linalg.Transpose;

/**
 * The moments after a layer with weights, from its input's (on the input's conventional channel axis): a Conv's
 * channel covariance through its kernels and the patch's spatial correlation, a linear layer's W Σ Wᵀ, a normalisation's
 * trained scale and shift.
 */
final class LayerMoments {
    private final Graph graph;
    private final Linalg linalg;
    private final double rho;

    LayerMoments(Graph graph, Linalg linalg, double rho) {
        this.graph = graph;
        this.linalg = linalg;
        this.rho = rho;
    }

    /** Correlation of two positions of one channel in a patch kw wide, ρ^(|dy|+|dx|). */
    static double correlation(double rho, int kw, int a, int b) {
        int d = Math.abs(a / kw - b / kw) + Math.abs(a % kw - b % kw);
        return d == 0 ? 1 : Math.pow(rho, d);
    }

    /**
     * Σ_out[o][o'] = Σ_{c,c'} Σ_in[c][c'] · m_o(c)ᵀ R m_o'(c'), with m_o(c) the kernel of output o on
     * input c (zero outside o's group) and R the spatial correlation of a patch's positions.
     */
    Moments conv(Node node, Moments x) {
        Tensor w = graph.constant(node.input(1));
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
                r[a * area + b] = (float) correlation(rho, kw, a, b);
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

    Moments linear(Node node, Moments x) {
        LinearLayer layer = LinearLayer.of(graph, node);
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

    /**
     * BatchNormalization (channels on axis 1) or LayerNormalization over the last axis: mean β and variance γ², the
     * trained scale and shift (for BatchNormalization, what its training saw), correlations as propagated.
     */
    Moments normalized(Node node, Moments x, int rank) {
        Tensor gamma = graph.constant(node.input(1));
        Tensor beta = node.hasInput(2) ? graph.constant(node.input(2)) : null;
        boolean overChannels = node.opType().equals("BatchNormalization")
                || Shapes.axis(node.attrInt("axis", -1), Math.max(1, rank)) == rank - 1;
        if (gamma == null || x == null || !overChannels || x.channels() != gamma.numel() || (beta == null && node.hasInput(2))) {
            return null;
        }
        float[] g = gamma.floats();
        float[] b = beta == null ? new float[g.length] : beta.floats();
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

    /**
     * Rows of a constant table looked up by computed indices (token embeddings), each row taken as equally likely: the
     * rows' mean and covariance. What a language model's first layers see, where a float input's stated statistics
     * mean nothing.
     */
    Moments embedding(Node node) {
        Tensor table = graph.constant(node.input(0));
        if (table == null || !table.isFloat() || table.rank() != 2 || node.attrInt("axis", 0) != 0
                || graph.constant(node.input(1)) != null) {
            return null;
        }
        return Moments.ofRows(table.floats(), (int) table.dim(0), (int) table.dim(1), linalg);
    }
}
