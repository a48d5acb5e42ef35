package dev.spa.rules;

import dev.spa.SpaException;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import java.util.Arrays;

/** Small shape helpers shared by the rules. */
final class Axes {
    private Axes() {
    }

    /** Output shape of numpy-style broadcasting; a dim is unknown only where no input fixes it. */
    static long[] broadcast(long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        long[] out = new long[rank];
        for (int o = 0; o < rank; o++) {
            long fixed = 1;
            boolean dynamic = false;
            for (long[] s : shapes) {
                int i = o - (rank - s.length);
                if (i < 0 || s[i] == 1) {
                    continue;
                }
                if (s[i] == Shapes.DYNAMIC) {
                    dynamic = true;
                } else if (fixed != 1 && fixed != s[i]) {
                    throw new SpaException("shapes do not broadcast: " + fixed + " vs " + s[i] + " on axis " + o);
                } else {
                    fixed = s[i];
                }
            }
            out[o] = fixed != 1 ? fixed : (dynamic ? Shapes.DYNAMIC : 1);
        }
        return out;
    }

    /** The same output shape for every output of the node (unary operators, Dropout's mask). */
    static void sameAsInput(Node node, Shapes shapes) {
        long[] in = shapes.get(node.input(0));
        if (in == null) {
            return;
        }
        for (String o : node.outputs()) {
            if (!o.isEmpty()) {
                shapes.put(o, in);
            }
        }
    }

    /** Links axis {@code dim} of one of the node's values to the same axis of every other value of the same rank. */
    static void linkSameAxis(Node node, Dim dim, Coupling c, Iterable<String> values) {
        for (String v : values) {
            if (v.isEmpty() || v.equals(dim.value())) {
                continue;
            }
            long[] s = c.shapes().get(v);
            if (s != null && s.length == c.shapes().rank(dim.value())) {
                c.identity(dim, dim.on(v, dim.axis()));
            }
        }
    }

    static long[] ints(Node node, String attr, long[] fallback) {
        long[] v = node.attrInts(attr);
        return v == null ? fallback : v;
    }

    static long[] filled(int n, long value) {
        long[] out = new long[n];
        Arrays.fill(out, value);
        return out;
    }
}
