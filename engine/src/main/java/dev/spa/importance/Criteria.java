package dev.spa.importance;

import dev.spa.SpaException;

/** Criteria by the names users type. */
public final class Criteria {
    /** The names {@link #byName} knows. */
    public static final java.util.List<String> NAMES = java.util.List.of("l1", "l2", "random", "bn");

    private Criteria() {
    }

    public static Criterion byName(String name, long seed) {
        switch (name.toLowerCase()) {
            case "l1": return MagnitudeCriterion.l1();
            case "l2": return MagnitudeCriterion.l2();
            case "random": return new RandomCriterion(seed);
            case "bn": return new BatchNormScaleCriterion();
            default: throw new SpaException("criterion '" + name + "' is unknown: use l1, l2, random or bn");
        }
    }
}
