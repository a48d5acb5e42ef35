package dev.spa.plan;

import dev.spa.SpaException;
import dev.spa.events.manifest.GroupPlan;
import dev.spa.events.manifest.PlanRecord;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.groups.Member;
import dev.spa.rules.Dim;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which channels of which groups are kept. From it follow, for every tracked axis, the original
 * positions that survive: what the surgery slices and what the plan JSON records.
 */
public final class PruningPlan {
    private final Map<Integer, int[]> keptChannels;

    public PruningPlan(Map<Integer, int[]> keptChannels) {
        Map<Integer, int[]> copy = new LinkedHashMap<>();
        keptChannels.forEach((g, k) -> {
            int[] sorted = k.clone();
            Arrays.sort(sorted);
            copy.put(g, sorted);
        });
        this.keptChannels = Collections.unmodifiableMap(copy);
    }

    /**
     * The plan a record states, checked against the model it is applied to: every group must exist
     * with the same channel count and be prunable, every kept channel in range.
     */
    public static PruningPlan of(PlanRecord record, Analysis analysis) {
        Map<Integer, Group> groups = new HashMap<>();
        analysis.prunableGroups().forEach(g -> groups.put(g.id(), g));
        Map<Integer, int[]> kept = new LinkedHashMap<>();
        for (GroupPlan gp : record.getGroupsList()) {
            Group g = groups.get(gp.getId());
            if (g == null || g.channels() != gp.getChannels()) {
                throw new SpaException("the plan's group " + gp.getId() + " (" + gp.getChannels()
                        + " channels) is not a prunable group of this model" + (g == null ? "" : " (it has " + g.channels() + ")"));
            }
            int[] k = gp.getKeptList().stream().mapToInt(Integer::intValue).toArray();
            for (int c : k) {
                if (c < 0 || c >= g.channels()) {
                    throw new SpaException("the plan keeps channel " + c + " of group " + g.id() + ", which has " + g.channels());
                }
            }
            if (k.length == 0) {
                throw new SpaException("the plan keeps no channel of group " + g.id());
            }
            kept.put(g.id(), k);
        }
        return new PruningPlan(kept);
    }

    public static PruningPlan empty() {
        return new PruningPlan(Map.of());
    }

    /** Kept channel indices by group id; a group not listed keeps everything. */
    public Map<Integer, int[]> keptChannels() {
        return keptChannels;
    }

    /** Whether {@code other} keeps exactly the same channels (the arrays compared by content, not identity). */
    public boolean sameCut(PruningPlan other) {
        if (!keptChannels.keySet().equals(other.keptChannels.keySet())) {
            return false;
        }
        return keptChannels.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.keptChannels.get(e.getKey())));
    }

    public int removedChannels(Group g) {
        int[] kept = keptChannels.get(g.id());
        return kept == null ? 0 : g.channels() - kept.length;
    }

    /** For every axis that loses positions: the original positions kept, ascending. */
    public Map<Dim, int[]> keptPositions(Iterable<Group> groups) {
        Map<Dim, TreeSet<Integer>> removed = new HashMap<>();
        Map<Dim, Long> sizes = new HashMap<>();
        for (Group g : groups) {
            int[] kept = keptChannels.get(g.id());
            if (kept == null || kept.length == g.channels()) {
                continue;
            }
            boolean[] keep = new boolean[g.channels()];
            for (int k : kept) {
                keep[k] = true;
            }
            for (Member m : g.members()) {
                sizes.put(m.dim(), m.axisSize());
                TreeSet<Integer> set = removed.computeIfAbsent(m.dim(), d -> new TreeSet<>());
                for (int c = 0; c < keep.length; c++) {
                    if (!keep[c]) {
                        for (int p : m.positions()[c]) {
                            set.add(p);
                        }
                    }
                }
            }
        }
        Map<Dim, int[]> out = new LinkedHashMap<>();
        removed.forEach((dim, set) -> {
            int n = (int) (long) sizes.get(dim);
            int[] kept = new int[n - set.size()];
            int k = 0;
            for (int p = 0; p < n; p++) {
                if (!set.contains(p)) {
                    kept[k++] = p;
                }
            }
            out.put(dim, kept);
        });
        return out;
    }
}
