package dev.spa.surgery;

import dev.spa.ir.Model;
import dev.spa.rules.Dim;

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
        public void apply(Model model, Map<Dim, int[]> kept) {
        }
    };

    String name();

    /**
     * @param model the surgery's copy of the model, to change in place
     * @param kept  for every axis that loses positions, the original positions kept
     */
    void apply(Model model, Map<Dim, int[]> kept);

    /**
     * This update for a cut after which it is never applied again: it may use up what it holds for cuts instead of
     * keeping it (OBSPA hands each layer's inverse Hessian to the update rather than copying it, and lets them all
     * go, tens of MB for a ResNet, before the caller checks the pruned model with both models in memory).
     */
    default WeightUpdate forLastCut() {
        return this;
    }
}
