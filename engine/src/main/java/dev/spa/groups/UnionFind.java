package dev.spa.groups;

import java.util.Arrays;

/** Disjoint sets over channel positions, growing as axes are tracked. */
final class UnionFind {
    private int[] parent = new int[1024];
    private int size;

    int add(int count) {
        int first = size;
        while (size + count > parent.length) {
            parent = Arrays.copyOf(parent, parent.length * 2);
        }
        for (int i = 0; i < count; i++) {
            parent[size + i] = size + i;
        }
        size += count;
        return first;
    }

    int find(int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
