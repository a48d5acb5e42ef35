package dev.spa.obspa;

import dev.spa.Interruption;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.groups.Member;
import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.linalg.Linalg;
import dev.spa.rules.Dim;
import dev.spa.rules.Role;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
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
    /** Null once released: a data-free source holds every layer input's moments (C² doubles each) until then. */
    private HessianSource.LayerHessians hessians;
    private final InverseStore inverses;
    private final Map<String, Double> energies = new HashMap<>();
    private final Consumer<String> progress;
    private boolean released;

    public Obspa(Analysis analysis, HessianSource source, Linalg linalg, double dampening, Consumer<String> progress) {
        this(analysis, source, linalg, dampening, progress, InverseStore.defaultBudget());
    }

    /** @param inverseBudgetBytes how many bytes of layers' H⁻¹ to keep in memory; the others are spilled to disk */
    public Obspa(Analysis analysis, HessianSource source, Linalg linalg, double dampening, Consumer<String> progress,
                 long inverseBudgetBytes) {
        this.analysis = analysis;
        this.inverses = new InverseStore(inverseBudgetBytes);
        this.solver = new ObsSolver(linalg, dampening);
        this.progress = progress;
        this.layers = consumerLayers(analysis);
        progress.accept("OBSPA: Hessians of " + layers.size() + " layers from " + source.describe() + " on " + linalg.name());
        this.hessians = source.hessians(analysis.model(), layers.values(), linalg);
        String coverage = hessians.coverage();
        if (!coverage.isEmpty()) {
            progress.accept("OBSPA: " + coverage);
        }
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
     * What OBSPA will hold at its peak for this model, before it computes anything.
     * <ul>
     * <li>Hessians captured from samples (calibration, synthetic images) are written out and all captured at once:
     * all of them, plus the largest layer at work: its Hessian turned inverse, the working copy greedy removal
     * shrinks, the native copy OpenBLAS factors (off the heap, but in the process) and the spilled inverse read
     * back for the update, 4 n² floats.</li>
     * <li>Data-free Hessians stay in their structure ({@link KroneckerHessian}): every layer's inverse, k C² floats,
     * is held to the update, plus the largest one's working copy and its M_g taken apart while channels are removed,
     * and the layer's weights three times (the matrix, its transpose and the compensated copy).</li>
     * </ul>
     */
    public static long estimatedBytes(Analysis analysis, boolean capturesAllAtOnce) {
        long all = 0;
        long largest = 0;
        long largestWeights = 0;
        for (LinearLayer layer : consumerLayers(analysis).values()) {
            long n = layer.hessianColumns();
            long c = layer.inputChannels();
            long held = capturesAllAtOnce ? n * n * Float.BYTES : layer.columnsPerChannel() * c * c * Float.BYTES;
            all += held;
            largest = Math.max(largest, held);
            largestWeights = Math.max(largestWeights, n * layer.outputs() * Float.BYTES);
        }
        return capturesAllAtOnce ? all + 4 * largest : all + 3 * largest + 3 * largestWeights;
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

    /** The layer's H⁻¹, not to be modified. */
    ObsSolver.Inverse inverse(LinearLayer layer) {
        prepare(layer);
        return inverses.get(layer.weight());
    }

    /** A copy of the layer's H⁻¹ to shrink while removing only these columns (ascending), restricted to them where that pays. */
    InverseStore.Working workingInverse(LinearLayer layer, int[] columns) {
        prepare(layer);
        return inverses.working(layer.weight(), columns);
    }

    /**
     * Takes the layer's Hessian from the source, keeps its output energy and its inverse, and lets the
     * Hessian go: from here on only H⁻¹ (in memory or spilled) stands for it.
     */
    private synchronized void prepare(LinearLayer layer) {
        if (inverses.contains(layer.weight())) {
            return;
        }
        if (released) {
            throw new IllegalStateException("OBSPA was released: its Hessians are gone");
        }
        LayerHessian h = hessians.take(layer);
        energies.put(layer.weight(), h.energy(solver.linalg(), layer.matrix(graph()), layer.outputs()));
        ObsSolver.Inverse inv = solver.invert(h);
        if (inv.diagonalFallback()) {
            progress.accept("OBSPA: the Hessian of " + layer.node().name() + " could not be factored; scoring it with its diagonal");
        }
        if (!inverses.put(layer.weight(), inv) && inverses.spilledLayers() == 1) {
            progress.accept(String.format(Locale.ROOT, "OBSPA: %.0f MB of inverse Hessians held in memory (the budget: an eighth of"
                    + " the heap, or -Dspa.obspa.inverse-cache-mb); the other layers' go to a temporary file until the update",
                    inverses.residentBytes() / 1e6));
        }
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
        double[] losses = solver.losses(w, layer.outputs(), inverse(layer).value(), columnSets);
        double scale = lossScale(layer);
        for (int c = 0; c < losses.length; c++) {
            losses[c] /= scale;
        }
        return losses;
    }

    /** Half the layer's output energy, ½tr(W H Wᵀ): dividing a loss by it makes it a relative output error. */
    synchronized double lossScale(LinearLayer layer) {
        prepare(layer);
        double energy = energies.get(layer.weight());
        return energy > 0 && Double.isFinite(energy) ? 0.5 * energy : 1;
    }

    /**
     * Updates, in {@code graph} (a copy of the analysed model), every layer that loses input
     * columns under {@code kept}, so its output moves as little as possible; returns how many layers
     * were updated.
     */
    public int compensate(Graph graph, Map<Dim, int[]> kept) {
        return compensate(graph, kept, false);
    }

    /**
     * As {@link #compensate(Graph, Map)} for the last cut: each layer's inverse is taken out of the store and used up
     * by its update instead of copied, and what is left (memory and spilled files) goes at the end. The source handed
     * each Hessian over once, so nothing can be scored or updated after this.
     */
    public int compensateAndRelease(Graph graph, Map<Dim, int[]> kept) {
        try {
            return compensate(graph, kept, true);
        } finally {
            synchronized (this) {
                released = true;
                inverses.clear();
                energies.clear();
                hessians = null;
            }
        }
    }

    private int compensate(Graph graph, Map<Dim, int[]> kept, boolean useUp) {
        int updated = 0;
        for (LinearLayer layer : layers.values()) {
            Interruption.check();
            int[] removed = layer.removedColumns(kept);
            if (removed.length == 0) {
                continue;
            }
            float[] w = layer.matrix(graph);
            boolean compensated = useUp ? solver.compensateUsingUp(w, layer.outputs(), taken(layer), removed)
                    : solver.compensate(w, layer.outputs(), inverse(layer).value(), removed);
            if (compensated) {
                updated++;
            }
            layer.write(graph, w);
        }
        return updated;
    }

    /** The layer's H⁻¹, no longer in the store: the caller may change it. */
    private synchronized InverseHessian taken(LinearLayer layer) {
        prepare(layer);
        return inverses.take(layer.weight());
    }
}
