package dev.spa.groups;

import dev.spa.ir.Model;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;
import dev.spa.onnx.Onnx.AttributeProto.AttributeType;
import dev.spa.rules.Dim;
import dev.spa.rules.OperatorRules;
import dev.spa.rules.ShapeInference;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A model with its inferred shapes and its groups: what every later step (scoring, selection, surgery) reads.
 * {@code unitShapes} are the shapes of one inference with every dynamic input axis taken as 1: costs
 * are priced on them, so that work on axes that mix the batch with static factors (tokens times
 * batch, heads times batch) is counted in full.
 */
public record Analysis(Model model, Shapes shapes, Shapes unitShapes, List<Group> groups, OperatorRules rules) {
    public static Analysis of(Model model) {
        OperatorRules rules = OperatorRules.standard();
        Shapes shapes = ShapeInference.infer(model.graph(), rules);
        List<Group> groups = new DependencyAnalyzer(model.graph(), shapes, rules).analyze();
        Shapes unit = ShapeInference.inferAtUnitSize(model.graph(), rules);
        return new Analysis(model, shapes, agrees(shapes, unit, groups) ? unit : shapes, groups, rules);
    }

    /** Unit shapes are usable when every tracked axis has the same place and size in them. */
    private static boolean agrees(Shapes shapes, Shapes unit, List<Group> groups) {
        for (Group g : groups) {
            for (Member m : g.members()) {
                Dim d = m.dim();
                long[] s = shapes.get(d.value());
                long[] u = unit.get(d.value());
                if (u == null || s == null || u.length != s.length) {
                    return false;
                }
                boolean ok = d.folded() ? u[d.axis()] > 0 && u[d.axis()] % d.fold() == 0 : u[d.axis()] == s[d.axis()];
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Elements of the floating-point constants that at least one prunable group slices. */
    public long parametersInPrunableGroups() {
        Set<String> touched = new HashSet<>();
        for (Group g : prunableGroups()) {
            for (Member m : g.members()) {
                if (m.constant()) {
                    touched.add(m.dim().value());
                }
            }
        }
        long n = 0;
        for (String name : touched) {
            Tensor t = model.graph().constant(name);
            n += t.isFloat() ? t.numel() : 0;
        }
        return n;
    }

    public List<Group> prunableGroups() {
        return groups.stream().filter(Group::prunable).toList();
    }

    /**
     * The nodes with bodies of their own (If branches, Loop and Scan bodies), as "If 'name'": the analysis follows the
     * main graph only, so layers inside them are neither grouped nor cut, and a user should hear that where nothing is.
     */
    public List<String> controlFlowBodies() {
        return model.graph().nodes().stream()
                .filter(n -> n.toProto().getAttributeList().stream().anyMatch(a -> a.getType() == AttributeType.GRAPH
                        || a.getType() == AttributeType.GRAPHS))
                .map(n -> n.opType() + " '" + n.name() + "'").toList();
    }

    /** Why a model has no prunable group beyond what each group's own reasons say, or an empty string. */
    public String unprunedBodiesNote() {
        List<String> bodies = controlFlowBodies();
        return bodies.isEmpty() ? "" : "layers inside the bodies of " + String.join(", ", bodies.subList(0, Math.min(3, bodies.size())))
                + (bodies.size() > 3 ? " and " + (bodies.size() - 3) + " more" : "") + " are not analysed: SPA prunes the main graph,"
                + " not If, Loop or Scan bodies";
    }
}
