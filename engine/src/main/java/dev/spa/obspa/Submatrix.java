package dev.spa.obspa;

import java.util.stream.IntStream;

/** Gathering and compacting rows and columns of row-major matrices, and index sets. */
final class Submatrix {
    private Submatrix() {
    }

    /** The rows of a row-major matrix with {@code width} columns, restricted to the given columns. */
    static float[] rows(float[] a, int width, int[] rows, int[] columns) {
        float[] out = new float[rows.length * columns.length];
        for (int r = 0; r < rows.length; r++) {
            int from = rows[r] * width;
            int to = r * columns.length;
            for (int c = 0; c < columns.length; c++) {
                out[to + c] = a[from + columns[c]];
            }
        }
        return out;
    }

    /**
     * Compacts a row-major matrix with {@code width} columns in place to the given rows and columns (both ascending):
     * every element moves to an index no larger than its own, so a forward pass never overwrites one it
     * has yet to read. Columns are copied in contiguous runs (a channel's kh*kw columns, and the channels
     * between two removed ones, are one run).
     */
    static void keepOnly(float[] a, int width, int[] rows, int[] columns) {
        int[] runStart = new int[columns.length];
        int[] runLength = new int[columns.length];
        int runs = 0;
        for (int c = 0; c < columns.length; c++) {
            if (c > 0 && columns[c] == columns[c - 1] + 1) {
                runLength[runs - 1]++;
            } else {
                runStart[runs] = columns[c];
                runLength[runs++] = 1;
            }
        }
        int to = 0;
        for (int r : rows) {
            int from = r * width;
            for (int i = 0; i < runs; i++) {
                System.arraycopy(a, from + runStart[i], a, to, runLength[i]);
                to += runLength[i];
            }
        }
    }

    /** 0..n-1 without the given ascending indices. */
    static int[] complement(int[] sortedRemoved, int n) {
        int[] kept = new int[n - sortedRemoved.length];
        for (int i = 0, r = 0, k = 0; i < n; i++) {
            if (r < sortedRemoved.length && sortedRemoved[r] == i) {
                r++;
            } else {
                kept[k++] = i;
            }
        }
        return kept;
    }

    static int[] allOf(int n) {
        return IntStream.range(0, n).toArray();
    }
}
