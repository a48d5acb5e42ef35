package dev.spa.policy;

import dev.spa.SpaException;
import dev.spa.importance.GroupScorer.Aggregation;
import dev.spa.importance.GroupScorer.Normalization;
import dev.spa.obspa.ObspaCriterion.Order;
import dev.spa.runtime.InputStatistics;
import dev.spa.select.SelectionOptions;

import java.nio.file.Path;

/**
 * Everything that decides how a model is pruned: the criterion and its Hessian source, the selection and the weight
 * update. Built with {@link #builder}, which holds every default once; the CLI's flags ({@code cli.PolicyOptions}) and
 * the platform's requests ({@code platform.Requests}) each set what they state on it.
 *
 * @param calibration     raw samples, with the calibration source
 * @param inputStatistics what the user stated of the input (null: read from the model, else the default)
 * @param normalize       how scores are normalised per group before global selection; null: the one measured best
 *                        for the criterion ({@link #effectiveNormalization})
 * @param order           how OBSPA orders a group's channels
 * @param oodSamples      how many synthetic inputs a capture draws; 0: sized to the model ({@code obspa.SyntheticSampleCount})
 */
public record PruningPolicy(CriterionKind criterion, SelectionOptions selection, HessianSourceKind hessianSource, Path calibration,
                            UpdateKind update, InputStatistics inputStatistics, double rho, boolean channelCovariance,
                            double dampening, Order order, int oodSamples, long seed, Aggregation aggregate, Normalization normalize) {

    /**
     * λ = 0.03 mean(diag H): measured over the four labelled trained models and five methods at 0.003-0.1 (BENCHMARKS.md,
     * Quality, *Dampening*); 0.1, chosen on the digits CNN's calibration early on, held the default (auto) 34 points
     * lower summed over the sixteen cells, and 0.03 is the value at which no model lost.
     */
    public static final double DEFAULT_DAMPENING = 0.03;

    public PruningPolicy {
        if (hessianSource == HessianSourceKind.AUTO && !choosable(criterion, update)) {
            throw new SpaException("the Hessian source auto chooses among OBSPA's data-free candidates: use it with the criterion obspa"
                    + " and no update named (asked: criterion " + criterion.label()
                    + (update == UpdateKind.MEASURED_BEST ? "" : ", update " + update.label()) + ")");
        }
        if (oodSamples < 0) {
            throw new SpaException("the number of synthetic samples must be positive, or 0 to size it to the model (asked: " + oodSamples + ")");
        }
        if (hessianSource == HessianSourceKind.CALIBRATION && calibration == null) {
            throw new SpaException("the calibration Hessian source needs calibration samples");
        }
    }

    /** A policy with the defaults measured best in BENCHMARKS.md, for a criterion and a selection. */
    public static Builder builder(CriterionKind criterion, SelectionOptions selection) {
        return new Builder(criterion, selection);
    }

    /** The defaults for a criterion and a selection. */
    public static PruningPolicy of(CriterionKind criterion, SelectionOptions selection) {
        return builder(criterion, selection).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder(criterion, selection);
        b.hessianSource = hessianSource;
        b.calibration = calibration;
        b.update = update;
        b.inputStatistics = inputStatistics;
        b.rho = rho;
        b.channelCovariance = channelCovariance;
        b.dampening = dampening;
        b.order = order;
        b.oodSamples = oodSamples;
        b.seed = seed;
        b.aggregate = aggregate;
        b.normalize = normalize;
        return b;
    }

    /**
     * Whether the source auto applies: to OBSPA's own scores with the update left to it. A default of auto (the CLI's
     * and the platform's) stands for data-free where it does not, so asking for l2 alone needs no source named.
     */
    public static boolean choosable(CriterionKind criterion, UpdateKind update) {
        return criterion == CriterionKind.OBSPA && update == UpdateKind.MEASURED_BEST;
    }

    public boolean choosesDataFree() {
        return hessianSource == HessianSourceKind.AUTO;
    }

    public boolean usesObspa() {
        return criterion.scoresWithHessians() || effectiveUpdate().usesObspa();
    }

    /**
     * The update asked for, or the one measured best (BENCHMARKS.md): with calibration data the
     * sequential re-fit; with synthetic or no data the all-at-once update (re-fitting to noise
     * overfits it); no update for the magnitude criteria.
     */
    public UpdateKind effectiveUpdate() {
        if (update != UpdateKind.MEASURED_BEST) {
            return update;
        }
        if (!criterion.scoresWithHessians()) {
            return UpdateKind.NONE;
        }
        return hessianSource == HessianSourceKind.CALIBRATION ? UpdateKind.OBSPA_SEQUENTIAL : UpdateKind.OBSPA;
    }

    /** OBSPA's losses are already relative to each layer's output energy: comparable as they are. */
    public Normalization effectiveNormalization() {
        return normalize != null ? normalize : criterion.scoresWithHessians() ? Normalization.NONE : Normalization.MEAN;
    }

    /** The policy's fields, each starting at its default; {@link #build} checks that they go together. */
    public static final class Builder {
        private CriterionKind criterion;
        private SelectionOptions selection;
        private HessianSourceKind hessianSource = HessianSourceKind.DATA_FREE;
        private Path calibration;
        private UpdateKind update = UpdateKind.MEASURED_BEST;
        private InputStatistics inputStatistics;
        private double rho = 0.5;
        private boolean channelCovariance = true;
        private double dampening = DEFAULT_DAMPENING;
        private Order order = Order.GREEDY;
        private int oodSamples;
        private long seed;
        private Aggregation aggregate = Aggregation.SUM;
        private Normalization normalize;

        private Builder(CriterionKind criterion, SelectionOptions selection) {
            this.criterion = criterion;
            this.selection = selection;
        }

        public Builder criterion(CriterionKind kind) {
            this.criterion = kind;
            return this;
        }

        public Builder selection(SelectionOptions options) {
            this.selection = options;
            return this;
        }

        /** @param samples the calibration samples, with the calibration source (else null) */
        public Builder source(HessianSourceKind kind, Path samples) {
            this.hessianSource = kind;
            this.calibration = samples;
            return this;
        }

        public Builder update(UpdateKind kind) {
            this.update = kind;
            return this;
        }

        public Builder inputStatistics(InputStatistics stated) {
            this.inputStatistics = stated;
            return this;
        }

        /** One mean and standard deviation for every input channel. */
        public Builder inputStatistics(double mean, double std) {
            return inputStatistics(InputStatistics.stated(new double[] {mean}, new double[] {std}));
        }

        public Builder rho(double value) {
            this.rho = value;
            return this;
        }

        public Builder channelCovariance(boolean value) {
            this.channelCovariance = value;
            return this;
        }

        public Builder dampening(double value) {
            this.dampening = value;
            return this;
        }

        public Builder order(Order value) {
            this.order = value;
            return this;
        }

        public Builder oodSamples(int count) {
            this.oodSamples = count;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder aggregate(Aggregation value) {
            this.aggregate = value;
            return this;
        }

        /** @param value null: the one measured best for the criterion */
        public Builder normalize(Normalization value) {
            this.normalize = value;
            return this;
        }

        public PruningPolicy build() {
            return new PruningPolicy(criterion, selection, hessianSource, calibration, update, inputStatistics, rho, channelCovariance,
                    dampening, order, oodSamples, seed, aggregate, normalize);
        }
    }
}
