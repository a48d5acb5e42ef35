package dev.spa.deps;

import dev.spa.ir.Shapes;

import java.util.Map;

/** The shapes a model has after a plan: the original ones with each pruned axis shortened. */
public final class PrunedShapes {
    private PrunedShapes() {
    }

    public static Shapes of(Shapes original, Map<Dim, int[]> keptPositions) {
        Shapes pruned = original.copy();
        keptPositions.forEach((dim, kept) -> {
            long[] s = pruned.get(dim.value());
            s[dim.axis()] = kept.length;
            pruned.put(dim.value(), s);
        });
        return pruned;
    }
}
