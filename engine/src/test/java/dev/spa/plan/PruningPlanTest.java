package dev.spa.plan;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PruningPlanTest {
    /** The latency search stops when a new share asked selects the cut it already measured: arrays compared by content. */
    @Test
    void twoPlansKeepingTheSameChannelsAreTheSameCut() {
        PruningPlan plan = new PruningPlan(Map.of(0, new int[]{0, 2}, 3, new int[]{1}));
        assertTrue(plan.sameCut(new PruningPlan(Map.of(0, new int[]{0, 2}, 3, new int[]{1}))));
        assertFalse(plan.sameCut(new PruningPlan(Map.of(0, new int[]{0, 1}, 3, new int[]{1}))));
        assertFalse(plan.sameCut(new PruningPlan(Map.of(0, new int[]{0, 2}))));
        assertTrue(PruningPlan.empty().sameCut(PruningPlan.empty()));
    }
}
