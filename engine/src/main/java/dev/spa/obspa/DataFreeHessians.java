package dev.spa.obspa;

import dev.spa.ir.Model;
import dev.spa.ir.Node;
import dev.spa.linalg.Linalg;
import dev.spa.rules.OperatorRules;
import dev.spa.rules.ShapeInference;
import dev.spa.runtime.InputStatistics;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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

    /**
     * Each layer's Hessian is built when it is taken, from the input moments propagated once for all layers; an input's
     * moments go once every layer reading it has taken its Hessian (DenseNet's concatenations kept about 85 MB of
     * covariances to the end of scoring).
     */
    @Override
    public LayerHessians hessians(Model model, Collection<LinearLayer> layers, Linalg linalg) {
        Map<String, Integer> readers = new HashMap<>();
        layers.forEach(l -> readers.merge(l.input(), 1, Integer::sum));
        MomentPropagation stats = new MomentPropagation(model.graph(), ShapeInference.inferAtUnitSize(model.graph(), OperatorRules.standard()),
                linalg, input, rho, !channelCovariance, readers.keySet());
        String coverage = coverage(model, readers.keySet(), stats);
        return new LayerHessians() {
            @Override
            public LayerHessian take(LinearLayer layer) {
                KroneckerHessian h = secondMoment(layer, stats.of(layer.input()), stats);
                if (readers.merge(layer.input(), -1, Integer::sum) == 0) {
                    stats.forget(layer.input());
                }
                return h;
            }

            @Override
            public String coverage() {
                return coverage;
            }
        };
    }

    /** How many layer inputs got propagated moments, and after which operators the others got the default. */
    private static String coverage(Model model, Set<String> inputs, MomentPropagation stats) {
        List<String> guessed = inputs.stream().filter(v -> !stats.propagated(v)).sorted().toList();
        if (guessed.isEmpty()) {
            return "data-free moments propagated to all " + inputs.size() + " layer inputs";
        }
        Set<String> after = new TreeSet<>();
        for (String v : guessed) {
            Node producer = model.graph().producer(v);
            after.add(producer == null ? "a graph input" : producer.opType());
        }
        boolean one = guessed.size() == 1;
        return String.format(Locale.ROOT, "data-free moments propagated to %d of %d layer inputs; %d %s the default N(0, 1) (%s"
                + " %s, not modelled)", inputs.size() - guessed.size(), inputs.size(), guessed.size(), one ? "takes" : "take",
                one ? "it follows" : "they follow", String.join(", ", after));
    }

    /**
     * E[x xᵀ] over the layer's unfolded input, kept in its structure (channel covariance ⊗ the patch's spatial
     * correlation, plus the means' product): a 4608-column layer's is 21M entries written out, a 512 x 512
     * covariance and a 9 x 9 correlation kept.
     */
    private static KroneckerHessian secondMoment(LinearLayer layer, Moments x, MomentPropagation stats) {
        int per = layer.columnsPerChannel();
        int kw = layer.conv() == null ? 1 : layer.conv().kw();
        int channels = layer.inputChannels();
        boolean known = x.channels() == channels;
        double[] correlation = new double[per * per];
        for (int a = 0; a < per; a++) {
            for (int b = 0; b < per; b++) {
                correlation[a * per + b] = stats.correlation(kw, a, b);
            }
        }
        Moments channelMoments = known ? x : Moments.constant(channels, 0, 1);
        return new KroneckerHessian(channelMoments.mean(), channelMoments.cov(), correlation, per,
                layer.hessianColumns() > layer.weightColumns());
    }
}
