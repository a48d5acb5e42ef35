package dev.spa.obspa;

import dev.spa.ir.Model;
import dev.spa.rules.Dim;
import dev.spa.surgery.WeightUpdate;

import java.util.Map;

/** OBSPA's compensation as the surgery's weight update: each layer that loses inputs is re-fitted. */
public final class ObspaUpdate implements WeightUpdate {
    private final Obspa obspa;
    private final boolean lastCut;
    private int layersUpdated;

    public ObspaUpdate(Obspa obspa) {
        this(obspa, false);
    }

    private ObspaUpdate(Obspa obspa, boolean lastCut) {
        this.obspa = obspa;
        this.lastCut = lastCut;
    }

    @Override
    public String name() {
        return "obspa";
    }

    @Override
    public void apply(Model model, Map<Dim, int[]> kept) {
        layersUpdated = lastCut ? obspa.compensateAndRelease(model.graph(), kept) : obspa.compensate(model.graph(), kept);
    }

    @Override
    public WeightUpdate forLastCut() {
        return new ObspaUpdate(obspa, true);
    }

    public int layersUpdated() {
        return layersUpdated;
    }
}
