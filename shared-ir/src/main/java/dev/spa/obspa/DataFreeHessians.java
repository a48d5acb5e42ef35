package dev.spa.obspa;

import dev.spa.runtime.InputStatistics;
import dev.spa.ir.Model;
import dev.spa.linalg.Linalg;
import dev.spa.rules.OperatorRules;
import dev.spa.rules.ShapeInference;

import java.util.Collection;

/**
 * Hessians with no data at all: each layer's input statistics come from {@link MomentPropagation}
 * (an assumed input distribution carried through the model's own weights, BatchNorm statistics where
 * they remain), and H is their second moment over the unfolded patch, E[x xᵀ] = μμᵀ + Σ ⊗ R, with Σ
 * the channel covariance and R the spatial correlation of a patch's positions (ρ^distance).
 */
public final class DataFreeHessians implements HessianSource {
    private final InputStatistics input;
    private final double rho;
    private final boolean channelCovariance;

    /** @param channelCovariance carry channel covariances (true) or take channels as independent (false) */
    public DataFreeHessians(InputStatistics input, double rho, boolean channelCovariance) {
        this.input = input;
        this.rho = rho;
        this.channelCovariance = channelCovariance;
    }

    @Override
    public String describe() {
        return "data-free " + (channelCovariance ? "channel covariances" : "independent channels") + " (input " + input.describe()
                + ", spatial correlation " + rho + ")";
    }

    /** Each layer's Hessian is built when it is taken, from the input moments propagated once for all layers. */
    @Override
    public LayerHessians hessians(Model model, Collection<LinearLayer> layers, Linalg linalg) {
        java.util.Set<String> inputs = new java.util.HashSet<>();
        layers.forEach(l -> inputs.add(l.input()));
        MomentPropagation stats = new MomentPropagation(model.graph(), ShapeInference.inferAtUnitSize(model.graph(), OperatorRules.standard()),
                linalg, input, rho, !channelCovariance, inputs);
        return layer -> LayerHessian.ofMoments(layer.hessianColumns(), secondMoment(layer, stats.of(layer.input()), stats), 1);
    }

    /**
     * E[x xᵀ] over the layer's unfolded input, written block by block (one channel pair's per x per block:
     * its covariance times the patch's spatial correlation, plus the means' product) with the correlation
     * tabulated once: a 4608-column layer has 21M entries.
     */
    private static float[] secondMoment(LinearLayer layer, Moments x, MomentPropagation stats) {
        int n = layer.hessianColumns();
        int per = layer.columnsPerChannel();
        int kw = layer.conv() == null ? 1 : layer.conv().kw();
        int k = layer.weightColumns();
        boolean known = x.channels() == layer.inputChannels();
        int channels = layer.inputChannels();
        double[] mean = new double[n];
        for (int i = 0; i < k; i++) {
            mean[i] = known ? x.mean()[i / per] : 0;
        }
        if (n > k) {
            mean[k] = 1; // the bias column: a constant 1
        }
        double[] correlation = new double[per * per];
        for (int a = 0; a < per; a++) {
            for (int b = 0; b < per; b++) {
                correlation[a * per + b] = stats.correlation(kw, a, b);
            }
        }
        float[] h = new float[n * n];
        for (int ci = 0; ci < channels; ci++) {
            for (int a = 0; a < per; a++) {
                int i = ci * per + a;
                int row = i * n;
                for (int cj = 0; cj < channels; cj++) {
                    double cov = known ? x.cov()[ci * channels + cj] : (ci == cj ? 1 : 0);
                    int j0 = cj * per;
                    for (int b = 0; b < per; b++) {
                        h[row + j0 + b] = (float) (mean[i] * mean[j0 + b] + cov * correlation[a * per + b]);
                    }
                }
            }
        }
        for (int j = k; j < n; j++) { // the bias row and column hold only the means' products
            for (int i = 0; i < n; i++) {
                h[j * n + i] = (float) (mean[j] * mean[i]);
                h[i * n + j] = (float) (mean[i] * mean[j]);
            }
        }
        return h;
    }
}
