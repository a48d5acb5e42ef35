package dev.spa.deps;

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

    public static PruningPlan empty() {
        return new PruningPlan(Map.of());
    }

    /** Kept channel indices by group id; a group not listed keeps everything. */
    public Map<Integer, int[]> keptChannels() {
        return keptChannels;
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
