package dev.spa.select;

import java.util.Set;

/**
 * How channels are chosen: the target, local (same share in every group) or global (one ranking
 * across groups), the fewest channels a group keeps, rounding of kept counts to a multiple (for
 * hardware), and tensors or nodes to leave alone.
 */
public record SelectionOptions(Target target, boolean global, int minChannels, int roundTo, Set<String> exclude) {
    public SelectionOptions {
        if (minChannels < 1) {
            throw new dev.spa.SpaException("minimum channels per group must be at least 1, got " + minChannels);
        }
        if (roundTo < 1) {
            throw new dev.spa.SpaException("round-to must be at least 1, got " + roundTo);
        }
        exclude = Set.copyOf(exclude);
    }

    public static SelectionOptions local(double ratio) {
        return new SelectionOptions(Target.ratio(ratio), false, 1, 1, Set.of());
    }
}
