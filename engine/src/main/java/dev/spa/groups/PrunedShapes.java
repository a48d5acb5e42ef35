package dev.spa.groups;

import dev.spa.ir.Shapes;
import dev.spa.rules.Dim;

import java.util.Map;

/** The shapes a model has after a plan: the original ones with each pruned axis shortened. */
public final class PrunedShapes {
    private PrunedShapes() {
    }

    public static Shapes of(Shapes original, Map<Dim, int[]> keptPositions) {
        Shapes pruned = original.copy();
        keptPositions.forEach((dim, kept) -> {
            long[] s = pruned.get(dim.value());
            if (!dim.folded()) {
                s[dim.axis()] = kept.length;
            } else if (s[dim.axis()] >= 0) {
                // heads folded into a static axis: the outer factor stays, the heads shrink
                s[dim.axis()] = s[dim.axis()] / dim.fold() * kept.length;
            }
            pruned.put(dim.value(), s);
        });
        return pruned;
    }
}
