package dev.spa.select;

import dev.spa.SpaException;
import java.util.Set;

/**
 * How channels are chosen: the target, local (same share in every group, as near as whole channels
 * and the target allow: {@link FillBack}) or global (one ranking across groups), the fewest channels a group keeps, rounding of kept counts to a multiple (for
 * hardware), tensors or nodes to leave alone, and the floor: the smallest share of its channels
 * any group keeps, so that a global ranking never empties a layer (a Gemm cut to a handful of units
 * destroys a trained model however small its scores were).
 */
public record SelectionOptions(Target target, boolean global, int minChannels, int roundTo, Set<String> exclude, double floor) {
    /** The floor when none is given: measured on the trained models (BENCHMARKS.md, quality). */
    public static final double DEFAULT_FLOOR = 0.25;

    public SelectionOptions(Target target, boolean global, int minChannels, int roundTo, Set<String> exclude) {
        this(target, global, minChannels, roundTo, exclude, DEFAULT_FLOOR);
    }

    public SelectionOptions {
        if (!(floor >= 0 && floor < 1)) {
            throw new SpaException("the floor (share of each group's channels kept) must be in [0, 1), got " + floor);
        }
        if (minChannels < 1) {
            throw new SpaException("minimum channels per group must be at least 1, got " + minChannels);
        }
        if (roundTo < 1) {
            throw new SpaException("round-to must be at least 1, got " + roundTo);
        }
        exclude = Set.copyOf(exclude);
    }

    public static SelectionOptions local(double ratio) {
        return new SelectionOptions(Target.ratio(ratio), false, 1, 1, Set.of(), 0);
    }

    /** The fewest channels a group of this size keeps: the minimum count or the floor's share, whichever is more. */
    public int fewestKept(int channels) {
        return Math.min(channels, Math.max(minChannels, (int) Math.ceil(floor * channels - 1e-9)));
    }

    public SelectionOptions withTarget(Target other) {
        return new SelectionOptions(other, global, minChannels, roundTo, exclude, floor);
    }
}
