package dev.spa.select;

import dev.spa.cost.Cost;

import java.util.Locale;

/** Whether a plan met its parameter or MACs target, and if not, what to tell the user. */
public final class TargetCheck {
    private TargetCheck() {
    }

    /** Null when the target was met (or is a ratio); otherwise a sentence saying by how much it was missed and why. */
    public static String missed(Target target, Cost before, Cost after) {
        if (target.kind() == Target.Kind.RATIO || target.kind() == Target.Kind.LATENCY) { // a latency target's search reports its own
            return null;
        }
        double reached = target.keptShare(before, after);
        if (reached <= target.value() + 1e-9) {
            return null;
        }
        return String.format(Locale.ROOT, "the target %s was not reached: %.1f%% kept, every prunable group is at its floor or"
                + " minimum (blocked groups cannot be cut)", target, 100 * reached);
    }

    /** {@link #missed}, saying so first when the model has no prunable group at all (inspect says why each is blocked). */
    public static String missed(Target target, Cost before, Cost after, int prunableGroups) {
        String missed = missed(target, before, after);
        return missed != null && prunableGroups == 0 ? "no group of this model can be pruned (spa inspect says why): " + missed : missed;
    }
}
