package dev.spa.obspa;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.ir.Model;
import dev.spa.linalg.CpuLinalg;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.plan.PruningPlan;
import dev.spa.runtime.InputStatistics;
import dev.spa.surgery.Surgery;
import dev.spa.surgery.WeightUpdate;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The update of the last cut uses OBSPA's inverses up instead of copying them: it moves the weights exactly as an
 * update that keeps them (the searches' cuts), and afterwards OBSPA refuses to score or update again rather than
 * working from Hessians it no longer has.
 */
class ObspaLastCutTest {
    private static final int CHANNELS = 8;

    private static Model chain() {
        GraphBuilder b = new GraphBuilder().input("x", 1, CHANNELS, 6, 6);
        String previous = "x";
        for (int i = 0; i < 3; i++) {
            b.weight("W" + i, CHANNELS, CHANNELS, 3, 3).opAttrs("Conv", "c" + i, new String[] {previous, "W" + i}, "pads", new long[] {1, 1, 1, 1});
            previous = "r" + i;
            b.op("Relu", previous, "c" + i);
        }
        return b.output(previous).model();
    }

    @Test
    void theLastCutMovesTheWeightsAsAKeptUpdateAndThenOBSPAIsSpent() {
        Analysis analysis = Analysis.of(chain());
        Obspa obspa = new Obspa(analysis, new DataFreeHessians(InputStatistics.DEFAULT, 0.5, true), new CpuLinalg(), 0.01, s -> { });
        Map<Integer, int[]> kept = new HashMap<>();
        for (Group g : analysis.prunableGroups()) {
            kept.put(g.id(), IntStream.range(0, g.channels()).filter(c -> c % 3 != 1).toArray());
        }
        PruningPlan plan = new PruningPlan(kept);
        WeightUpdate update = new ObspaUpdate(obspa);
        Model first = Surgery.apply(analysis, plan, update);
        Model again = Surgery.apply(analysis, plan, update);
        Model last = Surgery.apply(analysis, plan, update.forLastCut());
        boolean moved = false;
        for (int i = 0; i < 3; i++) {
            float[] w = weights(first, "W" + i);
            assertArrayEquals(w, weights(again, "W" + i), "a kept update leaves the inverses as they were");
            assertArrayEquals(w, weights(last, "W" + i), "the last cut's update moves W" + i + " the same way");
            moved |= !Arrays.equals(w, weights(Surgery.apply(analysis, plan), "W" + i));
        }
        assertTrue(moved, "OBSPA moved no weight at all");
        assertThrows(IllegalStateException.class, () -> Surgery.apply(analysis, plan, update));
    }

    private static float[] weights(Model m, String name) {
        return m.graph().constant(name).floats();
    }
}
