package dev.spa.select;

import dev.spa.cost.Cost;
import dev.spa.groups.Analysis;

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

    /**
     * {@link #missed}, saying so first when the model has no prunable group at all (inspect says why each is blocked, and
     * whether layers sit inside If, Loop or Scan bodies, which are not analysed).
     */
    public static String missed(Target target, Cost before, Cost after, Analysis analysis) {
        String missed = missed(target, before, after);
        if (missed == null || !analysis.prunableGroups().isEmpty()) {
            return missed;
        }
        String bodies = analysis.unprunedBodiesNote();
        return "no group of this model can be pruned (" + (bodies.isEmpty() ? "spa inspect says why each is blocked" : bodies)
                + "), so the target " + target + " cannot be reached";
    }
}
