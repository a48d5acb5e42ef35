package dev.spa.obspa;

import dev.spa.Interruption;
import dev.spa.deps.Analysis;
import dev.spa.deps.Dim;
import dev.spa.deps.Group;
import dev.spa.deps.Member;
import dev.spa.deps.Role;
import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.linalg.Linalg;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OBSPA for one analysed model: the layers that read pruned channels (the consumers, whose input
 * columns a plan removes), their Hessians from one source, and per layer H⁻¹ and output energy,
 * computed once and shared by the scores and the weight update.
 */
public final class Obspa {
    private final Analysis analysis;
    private final ObsSolver solver;
    private final Map<String, LinearLayer> layers;
    private final Map<String, LayerHessian> hessians;
    private final Map<String, ObsSolver.Inverse> inverses = new HashMap<>();
    private final Map<String, Double> energies = new HashMap<>();
    private final Consumer<String> progress;

    public Obspa(Analysis analysis, HessianSource source, Linalg linalg, double dampening, Consumer<String> progress) {
        this.analysis = analysis;
        this.solver = new ObsSolver(linalg, dampening);
        this.progress = progress;
        this.layers = consumerLayers(analysis);
        progress.accept("OBSPA: Hessians of " + layers.size() + " layers from " + source.describe() + " on " + linalg.name());
        this.hessians = source.hessians(analysis.model(), layers.values(), linalg);
    }

    /** Every Conv/Gemm/MatMul whose weight's input axis is a member of a prunable group, by weight name. */
    static Map<String, LinearLayer> consumerLayers(Analysis analysis) {
        Graph graph = analysis.model().graph();
        Map<String, LinearLayer> out = new LinkedHashMap<>();
        for (Group g : analysis.prunableGroups()) {
            for (Member m : g.members()) {
                if (m.role() != Role.INPUT || !m.constant() || out.containsKey(m.dim().value())) {
                    continue;
                }
                for (Node n : graph.consumers(m.dim().value())) {
                    LinearLayer layer = LinearLayer.of(graph, n);
                    if (layer != null && layer.weight().equals(m.dim().value()) && layer.inputAxis() == m.dim().axis()
                            && graph.consumers(layer.weight()).size() == 1) {
                        out.put(layer.weight(), layer);
                    }
                }
            }
        }
        return out;
    }

    /**
     * What OBSPA will hold for this model before it computes anything: every layer's Hessian and its
     * inverse (n x n floats each, n the layer's Hessian columns), both kept for the whole prune.
     */
    public static long estimatedBytes(Analysis analysis) {
        long bytes = 0;
        for (LinearLayer layer : consumerLayers(analysis).values()) {
            long n = layer.hessianColumns();
            bytes += 2L * n * n * Float.BYTES;
        }
        return bytes;
    }

    public Collection<LinearLayer> layers() {
        return layers.values();
    }

    /** The layer whose input columns this member is, or null. */
    public LinearLayer layerOf(Member m) {
        LinearLayer layer = layers.get(m.dim().value());
        return layer != null && layer.inputAxis() == m.dim().axis() && m.role() == Role.INPUT ? layer : null;
    }

    ObsSolver solver() {
        return solver;
    }

    Graph graph() {
        return analysis.model().graph();
    }

    synchronized ObsSolver.Inverse inverse(LinearLayer layer) {
        return inverses.computeIfAbsent(layer.weight(), w -> {
            LayerHessian h = hessians.get(w);
            ObsSolver.Inverse inv = solver.invert(h.matrix(), h.size());
            if (inv.diagonalFallback()) {
                progress.accept("OBSPA: the Hessian of " + layer.node().name() + " could not be factored; scoring it with its diagonal");
            }
            return inv;
        });
    }

    /**
     * Per channel of the member's group: the OBS loss of removing that channel's columns from this
     * layer, divided by the layer's output energy tr(W H Wᵀ), so layers of any scale compare.
     */
    public double[] channelLosses(Member m) {
        LinearLayer layer = layerOf(m);
        Graph graph = analysis.model().graph();
        float[] w = layer.matrix(graph);
        int n = layer.hessianColumns();
        int[][] columnSets = new int[m.positions().length][];
        for (int c = 0; c < columnSets.length; c++) {
            columnSets[c] = layer.columns(m.positions()[c]);
        }
        double[] losses = solver.losses(w, layer.outputs(), n, inverse(layer).matrix(), columnSets);
        double scale = lossScale(layer, w);
        for (int c = 0; c < losses.length; c++) {
            losses[c] /= scale;
        }
        return losses;
    }

    /** Half the layer's output energy, ½tr(W H Wᵀ): dividing a loss by it makes it a relative output error. */
    synchronized double lossScale(LinearLayer layer, float[] w) {
        double energy = energies.computeIfAbsent(layer.weight(),
                k -> solver.energy(w, layer.outputs(), layer.hessianColumns(), hessians.get(k).matrix()));
        return energy > 0 && Double.isFinite(energy) ? 0.5 * energy : 1;
    }

    /**
     * Updates, in {@code graph} (a copy of the analysed model), every layer that loses input
     * columns under {@code kept}, so its output moves as little as possible; returns how many layers
     * were updated.
     */
    public int compensate(Graph graph, Map<Dim, int[]> kept) {
        int updated = 0;
        for (LinearLayer layer : layers.values()) {
            Interruption.check();
            int[] removed = layer.removedColumns(kept);
            if (removed.length == 0) {
                continue;
            }
            float[] w = layer.matrix(graph);
            if (solver.compensate(w, layer.outputs(), layer.hessianColumns(), inverse(layer).matrix(), removed)) {
                updated++;
            }
            layer.write(graph, w);
        }
        return updated;
    }
}
