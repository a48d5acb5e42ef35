package dev.spa.surgery;

import dev.spa.deps.Dim;
import dev.spa.ir.Graph;

import java.util.Map;

/**
 * Changes the weights that survive a plan before the surgery slices them, so the pruned model
 * stays close to the original (OBSPA's compensation). Runs on the surgery's copy of the graph.
 */
public interface WeightUpdate {
    WeightUpdate NONE = new WeightUpdate() {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public void apply(Graph graph, Map<Dim, int[]> kept) {
        }
    };

    String name();

    /** @param kept for every axis that loses positions, the original positions kept */
    void apply(Graph graph, Map<Dim, int[]> kept);
}
