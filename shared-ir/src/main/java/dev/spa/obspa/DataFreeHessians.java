package dev.spa.obspa;

import dev.spa.ir.Model;
import dev.spa.linalg.Linalg;
import dev.spa.rules.OperatorRules;
import dev.spa.rules.ShapeInference;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hessians with no data at all: each layer's input statistics come from {@link MomentPropagation}
 * (an assumed input distribution carried through the model's own weights, BatchNorm statistics where
 * they remain), and H is their second moment E[x xᵀ] = μμᵀ + Σ, with Σ block-diagonal over channels
 * (ρ^distance between positions of one channel's patch).
 */
public final class DataFreeHessians implements HessianSource {
    private final double inputMean;
    private final double inputStd;
    private final double rho;

    public DataFreeHessians(double inputMean, double inputStd, double rho) {
        this.inputMean = inputMean;
        this.inputStd = inputStd;
        this.rho = rho;
    }

    @Override
    public String describe() {
        return "data-free moments (input N(" + inputMean + ", " + inputStd + "²), spatial correlation " + rho + ")";
    }

    @Override
    public Map<String, LayerHessian> hessians(Model model, Collection<LinearLayer> layers, Linalg linalg) {
        MomentPropagation stats = new MomentPropagation(model.graph(),
                ShapeInference.inferAtUnitSize(model.graph(), OperatorRules.standard()), inputMean, inputStd, rho);
        Map<String, LayerHessian> out = new LinkedHashMap<>();
        for (LinearLayer layer : layers) {
            out.put(layer.weight(), LayerHessian.ofMoments(layer.hessianColumns(), secondMoment(layer, stats.of(layer.input()), stats), 1));
        }
        return out;
    }

    private static float[] secondMoment(LinearLayer layer, Moments x, MomentPropagation stats) {
        int n = layer.hessianColumns();
        int per = layer.columnsPerChannel();
        int kw = layer.conv() == null ? 1 : layer.conv().kw();
        int k = layer.weightColumns();
        double[] mean = new double[n];
        for (int i = 0; i < k; i++) {
            mean[i] = x.channels() == layer.inputChannels() ? x.mean()[i / per] : 0;
        }
        if (n > k) {
            mean[k] = 1;
        }
        float[] h = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = mean[i] * mean[j];
                if (i < k && j < k && i / per == j / per) {
                    double var = x.channels() == layer.inputChannels() ? x.var()[i / per] : 1;
                    v += var * stats.correlation(kw, i % per, j % per);
                }
                h[i * n + j] = (float) v;
            }
        }
        return h;
    }
}
