package dev.spa.obspa;

import dev.spa.ir.Model;
import dev.spa.linalg.CpuLinalg;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.rules.OperatorRules;
import dev.spa.rules.ShapeInference;
import dev.spa.runtime.InputStatistics;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Data-free statistics against closed forms: a linear layer's moments and a rectified Gaussian. */
class MomentPropagationTest {
    @Test
    void linearLayerThenReluMatchClosedForms() {
        Model m = new GraphBuilder().input("x", -1, 2).output("y")
                .floats("W", new long[] {1, 2}, new float[] {3f, 4f}).floats("B", new long[] {1}, new float[] {1f})
                .opAttrs("Gemm", "h", new String[] {"x", "W", "B"}, "transB", 1L).op("Relu", "y", "h").model();
        MomentPropagation p = new MomentPropagation(m.graph(), ShapeInference.inferAtUnitSize(m.graph(), OperatorRules.standard()),
                new CpuLinalg(), InputStatistics.stated(new double[] {0.5}, new double[] {1}), 0, false, Set.of("h", "y"));
        // h = 3 x1 + 4 x2 + 1 with x ~ N(0.5, 1): mean 4.5, variance 9 + 16 = 25
        assertEquals(4.5, p.of("h").mean()[0], 1e-9);
        assertEquals(25, p.of("h").var(0), 1e-9);
        // relu of N(μ, σ²): mean μΦ(μ/σ) + σφ(μ/σ)
        double mu = 4.5;
        double sigma = 5;
        double a = mu / sigma;
        double phi = Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI);
        double cdf = 0.5 * (1 + erf(a / Math.sqrt(2)));
        double mean = mu * cdf + sigma * phi;
        double second = (mu * mu + sigma * sigma) * cdf + mu * sigma * phi;
        assertEquals(mean, p.of("y").mean()[0], 1e-4);
        assertEquals(second - mean * mean, p.of("y").var(0), 1e-3);
        assertEquals(0, p.assumedNodes());
    }

    @Test
    void convolutionsCarryChannelCovariances() {
        Model m = new GraphBuilder().input("x", -1, 2, 5, 5).output("y")
                .weight("W1", 3, 2, 3, 3).op("Conv", "h", "x", "W1")
                .weight("W2", 2, 3, 1, 1).op("Conv", "y", "h", "W2").model();
        double rho = 0.5;
        MomentPropagation p = new MomentPropagation(m.graph(), ShapeInference.inferAtUnitSize(m.graph(), OperatorRules.standard()),
                new CpuLinalg(), InputStatistics.stated(new double[] {0}, new double[] {2}), rho, false, Set.of("h", "y"));
        float[] w1 = m.graph().constant("W1").floats();
        float[] w2 = m.graph().constant("W2").floats();
        // Σ_h[o][o'] = σ² Σ_c Σ_{a,b} W1[o,c,a] W1[o',c,b] ρ^dist(a,b), σ² = 4
        double[][] h = new double[3][3];
        for (int o = 0; o < 3; o++) {
            for (int q = 0; q < 3; q++) {
                for (int c = 0; c < 2; c++) {
                    for (int a = 0; a < 9; a++) {
                        for (int b = 0; b < 9; b++) {
                            h[o][q] += 4 * w1[(o * 2 + c) * 9 + a] * w1[(q * 2 + c) * 9 + b] * p.correlation(3, a, b);
                        }
                    }
                }
                assertEquals(h[o][q], p.of("h").cov()[o * 3 + q], 1e-4 * Math.abs(h[o][q]) + 1e-4);
            }
        }
        // a 1x1 convolution is a linear map of the channels: Σ_y = W2 Σ_h W2ᵀ
        for (int o = 0; o < 2; o++) {
            for (int q = 0; q < 2; q++) {
                double expected = 0;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        expected += w2[o * 3 + i] * h[i][j] * w2[q * 3 + j];
                    }
                }
                assertEquals(expected, p.of("y").cov()[o * 2 + q], 1e-4 * Math.abs(expected) + 1e-4);
            }
        }
    }

    @Test
    void aDepthwiseConvolutionGivesTheMomentsOfTheSameConvolutionWrittenDense() {
        // 3 channels, 2 outputs per channel: the depthwise kernels, and the same map as a dense Conv whose
        // kernel is zero outside each output's own channel (the general path)
        int in = 3;
        int out = 6;
        float[] depthwise = new float[out * 9];
        Random random = new Random(5);
        for (int i = 0; i < depthwise.length; i++) {
            depthwise[i] = (float) random.nextGaussian();
        }
        float[] dense = new float[out * in * 9];
        for (int o = 0; o < out; o++) {
            System.arraycopy(depthwise, o * 9, dense, (o * in + o / 2) * 9, 9);
        }
        float[] bias = {0.1f, -0.2f, 0.3f, 0f, 1f, -1f};
        Model m = new GraphBuilder().input("x", -1, in, 5, 5).output("y").output("z")
                .weight("S", in, in, 1, 1).op("Conv", "h", "x", "S")
                .floats("D", new long[] {out, 1, 3, 3}, depthwise).floats("B", new long[] {out}, bias)
                .opAttrs("Conv", "y", new String[] {"h", "D", "B"}, "group", (long) in)
                .floats("F", new long[] {out, in, 3, 3}, dense).floats("B2", new long[] {out}, bias)
                .opAttrs("Conv", "z", new String[] {"h", "F", "B2"}).model();
        MomentPropagation p = new MomentPropagation(m.graph(), ShapeInference.inferAtUnitSize(m.graph(), OperatorRules.standard()),
                new CpuLinalg(), InputStatistics.stated(new double[] {0.5}, new double[] {2}), 0.6, false,
                Set.of("y", "z"));
        Moments y = p.of("y");
        Moments z = p.of("z");
        for (int o = 0; o < out; o++) {
            assertEquals(z.mean()[o], y.mean()[o], 1e-5 * Math.abs(z.mean()[o]) + 1e-6, "mean of output " + o);
            for (int q = 0; q < out; q++) {
                float expected = z.cov()[o * out + q];
                assertEquals(expected, y.cov()[o * out + q], 1e-4 * Math.abs(expected) + 1e-5, "covariance " + o + "," + q);
            }
        }
        assertEquals(0, p.assumedNodes());
    }

    private static MomentPropagation propagate(Model m, double mean, double std, String... keep) {
        return new MomentPropagation(m.graph(), ShapeInference.inferAtUnitSize(m.graph(), OperatorRules.standard()),
                new CpuLinalg(), InputStatistics.stated(new double[] {mean}, new double[] {std}), 0.5, false, Set.of(keep));
    }

    /** A ViT normalises its tokens [N, T, C] by BatchNormalization over C, transposed to [N, C, T] and back. */
    @Test
    void channelsAreFollowedThroughTransposesAroundABatchNormalization() {
        float[] gamma = {2f, 0.5f, 1f};
        float[] beta = {1f, -1f, 0.25f};
        Model m = new GraphBuilder().input("x", -1, 5, 3).output("y")
                .opAttrs("Transpose", "t", new String[] {"x"}, "perm", new long[] {0, 2, 1})
                .floats("g", new long[] {3}, gamma).floats("b", new long[] {3}, beta).floats("rm", new long[] {3}, new float[3])
                .floats("rv", new long[] {3}, new float[] {1f, 1f, 1f})
                .op("BatchNormalization", "n", "t", "g", "b", "rm", "rv")
                .opAttrs("Transpose", "back", new String[] {"n"}, "perm", new long[] {0, 2, 1})
                .weight("W", 3, 4).op("MatMul", "y", "back", "W").model();
        MomentPropagation p = propagate(m, 0, 1, "back");
        for (int c = 0; c < 3; c++) {
            assertEquals(beta[c], p.of("back").mean()[c], 1e-6, "the trained shift of channel " + c);
            assertEquals(gamma[c] * gamma[c], p.of("back").var(c), 1e-5, "the trained scale of channel " + c);
        }
        assertEquals(0, p.assumedNodes());
    }

    /**
     * Attention's values split into 2 heads of 2 ([N, T, 4] -> [N, T, 2, 2] -> [N, 2, T, 2]), weighted by a Softmax and
     * merged back: the merged output has the values' moments (convex combinations keep the mean).
     */
    @Test
    void attentionOutputKeepsItsValuesMomentsThroughTheHeadsSplitAndMerge() {
        Model m = new GraphBuilder().input("x", -1, 5, 4).output("y")
                .weight("Wv", 4, 4).floats("bv", new long[] {4}, new float[] {0.5f, -0.5f, 1f, 0f})
                .op("MatMul", "v0", "x", "Wv").op("Add", "v", "v0", "bv")
                .weight("Wq", 4, 4).op("MatMul", "q", "x", "Wq").weight("Wk", 4, 4).op("MatMul", "k", "x", "Wk")
                .longs("heads", 1, 5, 2, 2).longs("merged", 1, 5, 4)
                .op("Reshape", "vh", "v", "heads").opAttrs("Transpose", "vt", new String[] {"vh"}, "perm", new long[] {0, 2, 1, 3})
                .op("Reshape", "qh", "q", "heads").opAttrs("Transpose", "qt", new String[] {"qh"}, "perm", new long[] {0, 2, 1, 3})
                .op("Reshape", "kh", "k", "heads").opAttrs("Transpose", "kt", new String[] {"kh"}, "perm", new long[] {0, 2, 3, 1})
                .op("MatMul", "s", "qt", "kt").opAttrs("Softmax", "p", new String[] {"s"}, "axis", -1L)
                .op("MatMul", "o", "p", "vt").opAttrs("Transpose", "ot", new String[] {"o"}, "perm", new long[] {0, 2, 1, 3})
                .op("Reshape", "om", "ot", "merged").weight("Wo", 4, 4).op("MatMul", "y", "om", "Wo").model();
        MomentPropagation p = propagate(m, 0.3, 1.5, "v", "om");
        Moments v = p.of("v");
        Moments merged = p.of("om");
        for (int c = 0; c < 4; c++) {
            assertEquals(v.mean()[c], merged.mean()[c], 1e-9, "mean of channel " + c);
            for (int d = 0; d < 4; d++) {
                assertEquals(v.cov()[c * 4 + d], merged.cov()[c * 4 + d], 1e-9, "covariance " + c + "," + d);
            }
        }
        assertEquals(2, p.assumedNodes(), "only the scores (a product of two activations) and their Softmax are not modelled");
    }

    /**
     * A class token (a constant row) joined to 4 patch tokens, then a position table added: over the 5 positions the
     * channels are a mixture (1/5 the token, 4/5 the patches) plus the spread of the position rows.
     */
    @Test
    void tokensJoinedAlongTheTokenAxisAreAMixtureAndPositionRowsAddTheirSpread() {
        float[] cls = {2f, -1f};
        float[] positions = {0f, 0f, 1f, 0f, 0f, 1f, -1f, 0f, 0f, -1f};
        Model m = new GraphBuilder().input("x", -1, 4, 2).output("y")
                .longs("shape", 1, 1, 2).op("ConstantOfShape", "zeros", "shape").floats("cls", new long[] {2}, cls)
                .op("Add", "token", "zeros", "cls").node("Concat", new String[] {"token", "x"}, new String[] {"tokens"}, "axis", 1L)
                .floats("pos", new long[] {5, 2}, positions).op("Add", "y", "tokens", "pos").model();
        double mu = 0.5;
        double var = 4;
        MomentPropagation p = propagate(m, mu, Math.sqrt(var), "tokens", "y");
        Moments tokens = p.of("tokens");
        for (int c = 0; c < 2; c++) {
            double mean = 0.2 * cls[c] + 0.8 * mu;
            assertEquals(mean, tokens.mean()[c], 1e-9);
            assertEquals(0.2 * cls[c] * cls[c] + 0.8 * (var + mu * mu) - mean * mean, tokens.var(c), 1e-5);
        }
        // cross term: x's channels are independent, so only the means' spread correlates them
        double crossMean = (0.2 * cls[0] + 0.8 * mu) * (0.2 * cls[1] + 0.8 * mu);
        assertEquals(0.2 * cls[0] * cls[1] + 0.8 * mu * mu - crossMean, tokens.cov()[1], 1e-5);
        // the position rows have mean 0 per channel and variance 2/5 in each, uncorrelated across the two
        for (int c = 0; c < 2; c++) {
            assertEquals(tokens.mean()[c], p.of("y").mean()[c], 1e-9);
            assertEquals(tokens.var(c) + 0.4, p.of("y").var(c), 1e-5);
        }
        assertEquals(tokens.cov()[1], p.of("y").cov()[1], 1e-5);
    }

    /** GELU as PyTorch exports it, x · (erf(x / √2) + 1) · 0.5: integrated as one activation, not two independent factors. */
    @Test
    void geluWrittenWithErfIsIntegratedAsOneActivation() {
        Model m = new GraphBuilder().input("x", -1, 3).output("y")
                .floats("root2", new long[0], new float[] {(float) Math.sqrt(2)}).floats("one", new long[0], new float[] {1f})
                .floats("half", new long[0], new float[] {0.5f})
                .op("Div", "d", "x", "root2").op("Erf", "e", "d").op("Add", "e1", "e", "one").op("Mul", "g", "x", "e1")
                .op("Mul", "y", "g", "half").model();
        MomentPropagation p = propagate(m, 0.5, 2, "y");
        double mean = 0;
        double second = 0;
        int n = 200000;
        for (int i = 0; i < n; i++) {
            // E[gelu(x)] and E[gelu(x)²] for x ~ N(0.5, 4), by the midpoint rule over ±8σ
            double z = -8 + 16.0 * (i + 0.5) / n;
            double x = 0.5 + 2 * z;
            double w = 16.0 / n * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
            double gelu = 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            mean += w * gelu;
            second += w * gelu * gelu;
        }
        assertEquals(mean, p.of("y").mean()[0], 1e-4);
        assertEquals(second - mean * mean, p.of("y").var(0), 1e-3);
        assertEquals(0, p.assumedNodes());
    }

    /** A LayerNorm written out (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div): channels centred, unit mean square. */
    @Test
    void layerNormWrittenOutCentresTheChannelsAndScalesThemToUnitMeanSquare() {
        Model m = new GraphBuilder().input("x", -1, 5, 4).output("y")
                .weight("W", 4, 4).floats("b", new long[] {4}, new float[] {3f, -1f, 0f, 2f})
                .op("MatMul", "h0", "x", "W").op("Add", "h", "h0", "b")
                .longs("last", -1).op("ReduceMean", "mu", "h", "last").op("Sub", "c", "h", "mu")
                .floats("two", new long[0], new float[] {2f}).op("Pow", "sq", "c", "two").op("ReduceMean", "ms", "sq", "last")
                .floats("eps", new long[0], new float[] {1e-5f}).op("Add", "mse", "ms", "eps").op("Sqrt", "rms", "mse")
                .op("Div", "n", "c", "rms").weight("W2", 4, 2).op("MatMul", "y", "n", "W2").opset(18).model();
        MomentPropagation p = propagate(m, 0.2, 1, "n");
        Moments n = p.of("n");
        double meanSum = 0;
        double meanSquare = 0;
        for (int c = 0; c < 4; c++) {
            meanSum += n.mean()[c];
            meanSquare += (n.var(c) + n.mean()[c] * n.mean()[c]) / 4;
        }
        assertEquals(0, meanSum, 1e-6, "centred over the channels");
        assertEquals(1, meanSquare, 1e-4, "divided by the channels' root mean square");
        double rowSum = 0;
        for (int d = 0; d < 4; d++) {
            rowSum += n.cov()[d];
        }
        assertEquals(0, rowSum, 1e-4, "the channels of a centred value sum to a constant: its covariance rows sum to 0");
    }

    /** Token ids looked up in an embedding table: each row equally likely, so the rows' mean and covariance. */
    @Test
    void tokenEmbeddingsHaveTheMomentsOfTheTablesRows() {
        float[] table = {1f, 0f, 3f, 2f, -1f, 4f, 1f, 2f};
        Model m = new GraphBuilder().longInput("ids", -1, 6).output("y")
                .floats("E", new long[] {4, 2}, table).op("Gather", "e", "E", "ids")
                .weight("W", 2, 3).op("MatMul", "y", "e", "W").model();
        MomentPropagation p = propagate(m, 0, 1, "e");
        Moments e = p.of("e");
        assertEquals(1, e.mean()[0], 1e-9); // rows (1,0), (3,2), (-1,4), (1,2)
        assertEquals(2, e.mean()[1], 1e-9);
        assertEquals((1 + 9 + 1 + 1) / 4.0 - 1, e.var(0), 1e-6);
        assertEquals((0 + 4 + 16 + 4) / 4.0 - 4, e.var(1), 1e-6);
        assertEquals((0 + 6 - 4 + 2) / 4.0 - 2, e.cov()[1], 1e-6);
        assertEquals(0, p.assumedNodes());
    }

    private static double erf(double x) {
        // Abramowitz-Stegun 7.1.26 is too coarse here; integrate instead
        int n = 20000;
        double h = x / n;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double t = i * h;
            s += (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2)) * Math.exp(-t * t);
        }
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }
}
