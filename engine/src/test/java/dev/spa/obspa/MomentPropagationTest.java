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
