package dev.spa.surgery;

import dev.spa.SpaException;
import dev.spa.events.manifest.PlanRecord;
import dev.spa.events.manifest.TensorPlan;
import dev.spa.groups.Group;
import dev.spa.ir.Graph;
import dev.spa.ir.Model;
import dev.spa.ir.Tensor;
import dev.spa.rules.Role;

import java.util.ArrayList;
import java.util.List;

/**
 * The correctness oracle of the surgery: the original model with the input slices of every pruned
 * channel zeroed in every layer that reads it. Those channels then reach nothing, so for groups
 * that pass through no channel-mixing operator the pruned model must compute the same outputs.
 */
public final class Oracle {
    private Oracle() {
    }

    /** @param plan the plan as written beside a pruned model: its input-role tensors say what to zero */
    public static Model zeroedReference(Model original, PlanRecord plan) {
        Model copy = original.copy();
        Graph graph = copy.graph();
        for (TensorPlan t : plan.getTensorsList()) {
            if (!t.getRole().equals("input")) {
                continue;
            }
            Tensor tensor = graph.constant(t.getName());
            if (tensor == null) {
                throw new SpaException("the plan names tensor '" + t.getName() + "', which the original model does not have");
            }
            boolean[] keep = new boolean[(int) t.getOriginalSize()];
            t.getKeptList().forEach(k -> keep[k] = true);
            List<Integer> zero = new ArrayList<>();
            for (int i = 0; i < keep.length; i++) {
                if (!keep[i]) {
                    zero.add(i);
                }
            }
            graph.putConstant(tensor.withZeroed(t.getAxis(), zero.stream().mapToInt(Integer::intValue).toArray()));
        }
        return copy;
    }

    /** Whether the oracle applies to a group: prunable, no channel mixing, and read by at least one weight. */
    public static boolean applies(Group g) {
        return g.prunable() && !g.channelMixing() && g.members().stream().anyMatch(m -> m.role() == Role.INPUT && m.constant());
    }
}
