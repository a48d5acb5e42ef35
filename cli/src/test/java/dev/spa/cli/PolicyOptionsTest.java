package dev.spa.cli;

import dev.spa.SpaException;
import dev.spa.policy.HessianSourceKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which Hessian source the prune command's flags give, the default included. */
class PolicyOptionsTest {
    private static PruningPolicy policy(String... argv) {
        Set<String> valued = new HashSet<>(PolicyOptions.VALUED);
        valued.add("criterion"); // the prune command's own option
        Args args = new Args(argv, 0, valued, PolicyOptions.FLAGS);
        return PolicyOptions.policy(args, new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of()));
    }

    @Test
    void obspaWithNoSourceNamedChoosesAmongTheDataFreeCandidates() {
        assertEquals(HessianSourceKind.AUTO, policy("--criterion", "obspa").hessianSource());
        assertEquals(HessianSourceKind.DATA_FREE, policy("--criterion", "obspa", "--data-free").hessianSource());
        assertEquals(HessianSourceKind.SYNTHETIC, policy("--criterion", "obspa", "--ood").hessianSource());
    }

    @Test
    void otherCriteriaAndANamedUpdateDefaultToDataFree() {
        assertEquals(HessianSourceKind.DATA_FREE, policy("--criterion", "l2").hessianSource());
        assertEquals(HessianSourceKind.DATA_FREE, policy("--criterion", "l2", "--update", "obspa").hessianSource());
        assertEquals(HessianSourceKind.DATA_FREE, policy("--criterion", "obspa", "--update", "none").hessianSource());
    }

    @Test
    void twoSourcesAreRefusedNamingBoth() {
        SpaException e = assertThrows(SpaException.class, () -> policy("--criterion", "obspa", "--auto", "--ood"));
        assertTrue(e.getMessage().contains("--ood") && e.getMessage().contains("--auto"), e.getMessage());
    }
}
