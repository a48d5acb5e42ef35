package dev.spa.groups;

import dev.spa.modelkit.GraphBuilder;
import dev.spa.rules.Dim;
import dev.spa.testing.Groups;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One operator with a huge fan-in or fan-out (a Sum of 100,000 branches, a Concat or Split of
 * 20,000): the analysis must still find the one group that runs through every branch, and must not
 * be quadratic in the fan-in (it was: a hostile 3.5 MB model held the grouping stage for minutes).
 * The time limit is a guard against a hang, far above the few seconds these take, not a speed figure:
 * `bench/run-engine-benchmark` measures the speed.
 */
class WideGraphsTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(120);
    private static final int CHANNELS = 4;

    private static String[] names(int n, IntFunction<String> name) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = name.apply(i);
        }
        return out;
    }

    /** x -> Conv(W1) -> n x Relu -> join -> Conv(W2) -> y. */
    private static GraphBuilder branches(int n, int nextColumns) {
        GraphBuilder b = new GraphBuilder().input("x", 1, 3, 4, 4).output("y")
                .weight("W1", CHANNELS, 3, 1, 1).op("Conv", "h", "x", "W1").weight("W2", 2, nextColumns, 1, 1);
        for (int i = 0; i < n; i++) {
            b.op("Relu", "r" + i, "h");
        }
        return b;
    }

    private static Group groupOf(Analysis a, String weight) {
        return Groups.groupOf(a, weight, 0);
    }

    private static Member columns(Group g, String weight) {
        return Groups.member(g, weight, 1);
    }

    @Test
    void aSumOfAHundredThousandBranchesIsOneGroup() {
        int n = 100_000;
        GraphBuilder b = branches(n, CHANNELS).op("Sum", "s", names(n, i -> "r" + i)).op("Conv", "y", "s", "W2");
        Analysis a = assertTimeoutPreemptively(HANG_GUARD, () -> Analysis.of(b.model()));
        Group g = groupOf(a, "W1");
        assertTrue(g.prunable(), g.blockedReasons().toString());
        assertEquals(CHANNELS, g.channels());
        assertTrue(g.members().size() > n, "every branch is in the group: " + g.members().size() + " members");
        assertEquals(1, columns(g, "W2").positionsPerChannel());
    }

    @Test
    void aConcatOfTwentyThousandBranchesCouplesEachBranchAtItsOffset() {
        int n = 20_000;
        GraphBuilder b = branches(n, CHANNELS * n).opAttrs("Concat", "s", names(n, i -> "r" + i), "axis", 1L)
                .op("Conv", "y", "s", "W2");
        Analysis a = assertTimeoutPreemptively(HANG_GUARD, () -> Analysis.of(b.model()));
        Group g = groupOf(a, "W1");
        assertTrue(g.prunable(), g.blockedReasons().toString());
        Member next = columns(g, "W2");
        assertEquals(n, next.positionsPerChannel(), "each channel of W1 is one column of W2 per branch");
        int[] first = next.positions()[0].clone();
        Arrays.sort(first);
        for (int k = 0; k < n; k++) {
            assertEquals(k * CHANNELS, first[k], "branch " + k + " starts at its offset in the Concat");
        }
    }

    @Test
    void aSplitIntoTwentyThousandCouplesEachPartWithItsSlice() {
        int n = 20_000;
        GraphBuilder b = new GraphBuilder().input("x", 1, 3, 4, 4).output("y")
                .weight("W1", n, 3, 1, 1).op("Conv", "h", "x", "W1")
                .node("Split", new String[] {"h"}, names(n, i -> "p" + i), "axis", 1L)
                .op("Sum", "s", names(n, i -> "p" + i)).weight("W2", 2, 1, 1, 1).op("Conv", "y", "s", "W2");
        Analysis a = assertTimeoutPreemptively(HANG_GUARD, () -> Analysis.of(b.model()));
        Group g = groupOf(a, "W1");
        assertEquals(1, g.channels(), "every part is one channel wide and they are summed: all of W1's rows go together");
        assertEquals(n, g.members().stream().filter(m -> m.dim().equals(new Dim("W1", 0))).findFirst().orElseThrow()
                .positionsPerChannel());
    }
}
