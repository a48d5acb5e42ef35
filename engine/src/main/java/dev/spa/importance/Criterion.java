package dev.spa.importance;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;

import java.util.List;

/**
 * Scores each channel of a group, one vector per member slice that the criterion looks at; the
 * {@link GroupScorer} aggregates them and normalises, so any per-tensor criterion is a group criterion.
 */
public interface Criterion {
    String name();

    /** Per-member score vectors, each of length {@code group.channels()}; higher means more important. */
    List<double[]> memberScores(Group group, Analysis analysis);
}
