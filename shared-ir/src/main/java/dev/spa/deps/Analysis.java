package dev.spa.deps;

import dev.spa.ir.Model;
import dev.spa.ir.Shapes;
import dev.spa.rules.OperatorRules;
import dev.spa.rules.ShapeInference;

import java.util.List;

/** A model with its inferred shapes and its groups: what every later step (scoring, selection, surgery) reads. */
public record Analysis(Model model, Shapes shapes, List<Group> groups, OperatorRules rules) {
    public static Analysis of(Model model) {
        OperatorRules rules = OperatorRules.standard();
        Shapes shapes = ShapeInference.infer(model.graph(), rules);
        List<Group> groups = new DependencyAnalyzer(model.graph(), shapes, rules).analyze();
        return new Analysis(model, shapes, groups, rules);
    }

    /** Elements of the floating-point constants that at least one prunable group slices. */
    public long parametersInPrunableGroups() {
        java.util.Set<String> touched = new java.util.HashSet<>();
        for (Group g : prunableGroups()) {
            for (Member m : g.members()) {
                if (m.constant()) {
                    touched.add(m.dim().value());
                }
            }
        }
        long n = 0;
        for (String name : touched) {
            dev.spa.ir.Tensor t = model.graph().constant(name);
            n += t.isFloat() ? t.numel() : 0;
        }
        return n;
    }

    public List<Group> prunableGroups() {
        return groups.stream().filter(Group::prunable).toList();
    }
}
