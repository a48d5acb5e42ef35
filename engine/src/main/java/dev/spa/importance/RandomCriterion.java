package dev.spa.importance;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;

import java.util.List;
import java.util.Random;

/** Random scores, seeded per group: the baseline every other criterion has to beat. */
public final class RandomCriterion implements Criterion {
    private final long seed;

    public RandomCriterion(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public List<double[]> memberScores(Group group, Analysis analysis) {
        Random random = new Random(seed * 1_000_003L + group.id());
        double[] s = new double[group.channels()];
        for (int c = 0; c < s.length; c++) {
            s[c] = random.nextDouble();
        }
        return List.of(s);
    }
}
