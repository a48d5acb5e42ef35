package dev.spa.policy;

import dev.spa.SpaException;
import dev.spa.importance.Criteria;
import dev.spa.runtime.InputStatistics;
import dev.spa.select.SelectionOptions;

import java.nio.file.Path;

/**
 * Everything that decides how a model is pruned, as the CLI's flags and the platform's requests
 * state it: the criterion and its Hessian source, the selection and the weight update.
 *
 * @param criterion    l1, l2, random, bn or obspa
 * @param hessianSource data-free, ood, calibration (used by obspa and by an OBSPA update) or auto (with obspa: the
 *                      data-free candidate whose pruned model stays closest to the original, {@code quality.DataFreeChoice})
 * @param calibration  raw float32 samples, with hessianSource calibration
 * @param update       none, obspa or obspa-sequential; empty for the measured best for the criterion and source
 * @param inputStatistics what the user stated of the input (null: read from the model, else the default)
 * @param order        greedy or independent (how OBSPA orders a group's channels)
 */
public record PruningPolicy(String criterion, SelectionOptions selection, String hessianSource, Path calibration,
                            String update, InputStatistics inputStatistics, double rho, boolean channelCovariance,
                            double dampening, String order, int oodSamples, long seed, String aggregate, String normalize) {
    /** The Hessian source that tries the data-free candidates and keeps the best. */
    public static final String AUTO = "auto";
    private static final java.util.Set<String> UPDATES = java.util.Set.of("", "none", "obspa", "obspa-sequential");

    public PruningPolicy {
        if (!criterion.equals("obspa") && !Criteria.NAMES.contains(criterion.toLowerCase())) {
            throw new SpaException("criterion '" + criterion + "' is unknown: use " + String.join(", ", Criteria.NAMES) + " or obspa");
        }
        if (!UPDATES.contains(update)) {
            throw new SpaException("update '" + update + "' is unknown: use none, obspa or obspa-sequential");
        }
        if (!java.util.Set.of("data-free", "ood", "calibration", AUTO).contains(hessianSource)) {
            throw new SpaException("Hessian source '" + hessianSource + "' is unknown: use data-free, ood, calibration or auto");
        }
        if (hessianSource.equals(AUTO) && !choosable(criterion, update)) {
            throw new SpaException("the Hessian source auto chooses among OBSPA's data-free candidates: use it with the criterion obspa"
                    + " and no update named (asked: criterion " + criterion + (update.isEmpty() ? "" : ", update " + update) + ")");
        }
        if (hessianSource.equals("calibration") && calibration == null) {
            throw new SpaException("the calibration Hessian source needs calibration samples");
        }
    }

    /** The defaults measured best in BENCHMARKS.md, for a criterion and selection. */
    public static PruningPolicy of(String criterion, SelectionOptions selection) {
        return new PruningPolicy(criterion, selection, "data-free", null, "", null, 0.5, true, 0.1, "greedy", 256, 0, "sum", "");
    }

    public PruningPolicy withSource(String source, Path calibrationSamples) {
        return new PruningPolicy(criterion, selection, source, calibrationSamples, update, inputStatistics, rho, channelCovariance,
                dampening, order, oodSamples, seed, aggregate, normalize);
    }

    public PruningPolicy withCriterion(String name) {
        return new PruningPolicy(name, selection, hessianSource, calibration, update, inputStatistics, rho, channelCovariance,
                dampening, order, oodSamples, seed, aggregate, normalize);
    }

    /**
     * Whether the source auto applies: to OBSPA's own scores with the update left to it. A default of auto (the CLI's
     * and the platform's) stands for data-free where it does not, so asking for l2 alone needs no source named.
     */
    public static boolean choosable(String criterion, String update) {
        return criterion.equals("obspa") && update.isEmpty();
    }

    public boolean choosesDataFree() {
        return hessianSource.equals(AUTO);
    }

    public PruningPolicy withInputStatistics(double mean, double std) {
        return withInputStatistics(InputStatistics.stated(new double[] {mean}, new double[] {std}));
    }

    public PruningPolicy withInputStatistics(InputStatistics stated) {
        return new PruningPolicy(criterion, selection, hessianSource, calibration, update, stated, rho, channelCovariance,
                dampening, order, oodSamples, seed, aggregate, normalize);
    }

    public PruningPolicy withUpdate(String kind) {
        return new PruningPolicy(criterion, selection, hessianSource, calibration, kind, inputStatistics, rho, channelCovariance,
                dampening, order, oodSamples, seed, aggregate, normalize);
    }

    public boolean usesObspa() {
        return criterion.equals("obspa") || effectiveUpdate().startsWith("obspa");
    }

    /**
     * The update asked for, or the one measured best (BENCHMARKS.md): with calibration data the
     * sequential re-fit; with synthetic or no data the all-at-once update (re-fitting to noise
     * overfits it); no update for the magnitude criteria.
     */
    public String effectiveUpdate() {
        if (!update.isEmpty()) {
            return update;
        }
        if (!criterion.equals("obspa")) {
            return "none";
        }
        return hessianSource.equals("calibration") ? "obspa-sequential" : "obspa";
    }

    /** OBSPA's losses are already relative to each layer's output energy: comparable as they are. */
    public String effectiveNormalization() {
        return !normalize.isEmpty() ? normalize : criterion.equals("obspa") ? "none" : "mean";
    }
}
