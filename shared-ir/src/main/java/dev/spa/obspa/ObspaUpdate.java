package dev.spa.obspa;

import dev.spa.deps.Dim;
import dev.spa.ir.Model;
import dev.spa.surgery.WeightUpdate;

import java.util.Map;

/** OBSPA's compensation as the surgery's weight update: each layer that loses inputs is re-fitted. */
public final class ObspaUpdate implements WeightUpdate {
    private final Obspa obspa;
    private int layersUpdated;

    public ObspaUpdate(Obspa obspa) {
        this.obspa = obspa;
    }

    @Override
    public String name() {
        return "obspa";
    }

    @Override
    public void apply(Model model, Map<Dim, int[]> kept) {
        layersUpdated = obspa.compensate(model.graph(), kept);
    }

    public int layersUpdated() {
        return layersUpdated;
    }
}
