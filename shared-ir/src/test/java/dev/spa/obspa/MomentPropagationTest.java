package dev.spa.obspa;

import dev.spa.ir.Model;
import dev.spa.rules.OperatorRules;
import dev.spa.rules.ShapeInference;
import dev.spa.testing.GraphBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Data-free statistics against closed forms: a linear layer's moments and a rectified Gaussian. */
class MomentPropagationTest {
    @Test
    void linearLayerThenReluMatchClosedForms() {
        Model m = new GraphBuilder().input("x", -1, 2).output("y")
                .floats("W", new long[] {1, 2}, new float[] {3f, 4f}).floats("B", new long[] {1}, new float[] {1f})
                .opAttrs("Gemm", "h", new String[] {"x", "W", "B"}, "transB", 1L).op("Relu", "y", "h").model();
        MomentPropagation p = new MomentPropagation(m.graph(), ShapeInference.inferAtUnitSize(m.graph(), OperatorRules.standard()), 0.5, 1, 0);
        // h = 3 x1 + 4 x2 + 1 with x ~ N(0.5, 1): mean 4.5, variance 9 + 16 = 25
        assertEquals(4.5, p.of("h").mean()[0], 1e-9);
        assertEquals(25, p.of("h").var()[0], 1e-9);
        // relu of N(μ, σ²): mean μΦ(μ/σ) + σφ(μ/σ)
        double mu = 4.5;
        double sigma = 5;
        double a = mu / sigma;
        double phi = Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI);
        double cdf = 0.5 * (1 + erf(a / Math.sqrt(2)));
        double mean = mu * cdf + sigma * phi;
        double second = (mu * mu + sigma * sigma) * cdf + mu * sigma * phi;
        assertEquals(mean, p.of("y").mean()[0], 1e-4);
        assertEquals(second - mean * mean, p.of("y").var()[0], 1e-3);
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
