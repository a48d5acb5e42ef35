package dev.spa.surgery;

import dev.spa.SpaException;
import dev.spa.groups.Analysis;
import dev.spa.groups.PrunedShapes;
import dev.spa.ir.Graph;
import dev.spa.ir.Model;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;
import dev.spa.plan.PruningPlan;
import dev.spa.rules.Dim;
import dev.spa.rules.OperatorRule;
import dev.spa.rules.Rewrite;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies a plan to a copy of the model: slices every constant on every pruned axis, lets each
 * operator rule fix its attributes and shape inputs, and drops what no longer reaches an output.
 */
public final class Surgery {
    private Surgery() {
    }

    public static Model apply(Analysis analysis, PruningPlan plan) {
        return apply(analysis, plan, WeightUpdate.NONE);
    }

    /** As {@link #apply(Analysis, PruningPlan)}, with the kept weights updated (OBSPA) before they are sliced. */
    public static Model apply(Analysis analysis, PruningPlan plan, WeightUpdate update) {
        Map<Dim, int[]> kept = plan.keptPositions(analysis.groups());
        Model copy = analysis.model().copy();
        Graph graph = copy.graph();
        update.apply(copy, kept);
        for (Map.Entry<Dim, int[]> e : kept.entrySet()) {
            Dim dim = e.getKey();
            Tensor t = graph.constant(dim.value());
            if (t != null) {
                graph.putConstant(t.take(dim.axis(), e.getValue()));
            }
        }
        Shapes pruned = PrunedShapes.of(analysis.shapes(), kept);
        Fixes fixes = new Fixes(analysis.shapes(), pruned, kept, graph);
        for (Node node : graph.nodes()) {
            OperatorRule rule = analysis.rules().find(node);
            if (rule != null) {
                try {
                    rule.rewrite(node, fixes);
                } catch (SpaException e) {
                    throw new SpaException("surgery on " + node + ": " + e.getMessage(), e);
                }
            }
        }
        graph.invalidateIndex();
        graph.removeDeadCode();
        return copy;
    }

    private static final class Fixes implements Rewrite {
        private final Shapes original;
        private final Shapes pruned;
        private final Map<Dim, int[]> kept;
        private final Graph graph;
        private final Map<String, Integer> names = new HashMap<>();

        Fixes(Shapes original, Shapes pruned, Map<Dim, int[]> kept, Graph graph) {
            this.original = original;
            this.pruned = pruned;
            this.kept = kept;
            this.graph = graph;
        }

        @Override
        public Shapes original() {
            return original;
        }

        @Override
        public long[] prunedShape(String value) {
            return pruned.require(value);
        }

        @Override
        public int[] kept(Dim dim) {
            return kept.get(dim);
        }

        @Override
        public Node producer(String value) {
            return graph.producer(value);
        }

        @Override
        public Tensor constant(String value) {
            return graph.constant(value);
        }

        @Override
        public void replaceWithLongs(Node node, int index, long[] values) {
            String base = node.name() + "_spa_in" + index;
            int n = names.merge(base, 1, Integer::sum);
            String name = n == 1 ? base : base + "_" + n;
            while (graph.isConstant(name) || graph.producer(name) != null) {
                name = name + "_";
            }
            graph.putConstant(Tensor.ofLongs(name, new long[] {values.length}, Arrays.copyOf(values, values.length)));
            node.setInput(index, name);
        }
    }
}
