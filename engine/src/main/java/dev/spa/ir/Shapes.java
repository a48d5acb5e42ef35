package dev.spa.ir;

import dev.spa.SpaException;
import dev.spa.onnx.Onnx.TensorShapeProto;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Static shapes of every value (unknown dimensions, such as a dynamic batch, are -1) and the known
 * values of small integer tensors (shape arithmetic such as Shape → Gather → Concat → Reshape),
 * where an entry that depends on a dynamic dimension is {@link #UNKNOWN}.
 */
public final class Shapes {
    public static final long DYNAMIC = -1;
    public static final long UNKNOWN = Long.MIN_VALUE;

    private final Map<String, long[]> dims = new HashMap<>();
    private final Map<String, long[]> values = new HashMap<>();

    public static Shapes seed(Graph graph) {
        return seed(graph, false);
    }

    /** Input shapes and constants; with {@code unitDynamic}, every dynamic input axis is taken as 1. */
    public static Shapes seed(Graph graph, boolean unitDynamic) {
        Shapes s = new Shapes();
        for (ValueInfoProto v : graph.inputs()) {
            long[] dims = fromValueInfo(v);
            for (int i = 0; unitDynamic && dims != null && i < dims.length; i++) {
                dims[i] = dims[i] < 0 ? 1 : dims[i];
            }
            s.dims.put(v.getName(), dims);
        }
        for (Tensor t : graph.constants().values()) {
            s.dims.put(t.name(), t.dims());
            if (!t.isFloat() && t.numel() <= 64 && t.rank() <= 1) {
                long[] v = t.longsOrNull();
                if (v != null) {
                    s.values.put(t.name(), v);
                }
            }
        }
        return s;
    }

    private static long[] fromValueInfo(ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return null;
        }
        TensorShapeProto shape = v.getType().getTensorType().getShape();
        long[] out = new long[shape.getDimCount()];
        for (int i = 0; i < out.length; i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            out[i] = d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : DYNAMIC;
        }
        return out;
    }

    /** A copy whose shapes can be changed without touching this one (shapes after pruning). */
    public Shapes copy() {
        Shapes s = new Shapes();
        s.dims.putAll(dims);
        s.values.putAll(values);
        return s;
    }

    /** The shape of a value, or null where it could not be inferred. */
    public long[] get(String value) {
        long[] d = dims.get(value);
        return d == null ? null : d.clone();
    }

    public long[] require(String value) {
        long[] d = dims.get(value);
        if (d == null) {
            throw new SpaException("the shape of '" + value + "' is unknown");
        }
        return d.clone();
    }

    public boolean has(String value) {
        return dims.containsKey(value);
    }

    public int rank(String value) {
        long[] d = dims.get(value);
        return d == null ? -1 : d.length;
    }

    public void put(String value, long[] shape) {
        dims.put(value, shape.clone());
    }

    /** Known entries of a small integer tensor (UNKNOWN where dynamic), or null. */
    public long[] value(String name) {
        long[] v = values.get(name);
        return v == null ? null : v.clone();
    }

    public void putValue(String name, long[] v) {
        values.put(name, v.clone());
    }

    public static boolean isStatic(long[] shape) {
        return Arrays.stream(shape).allMatch(d -> d >= 0);
    }

    public static boolean allKnown(long[] v) {
        return v != null && Arrays.stream(v).noneMatch(x -> x == UNKNOWN);
    }

    /** Normalises a possibly negative axis against a rank. */
    public static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new SpaException("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** Product of the dims in [from, to), or DYNAMIC when any of them is unknown. */
    public static long product(long[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            if (shape[i] < 0) {
                return DYNAMIC;
            }
            p *= shape[i];
        }
        return p;
    }

    /** The dims Squeeze leaves: the given axes dropped, or every axis of size 1 when none are given. */
    public static long[] squeezed(long[] in, long[] axes) {
        boolean[] drop = new boolean[in.length];
        for (int a = 0; a < in.length; a++) {
            drop[a] = axes == null && in[a] == 1;
        }
        if (axes != null) {
            for (long a : axes) {
                drop[Shapes.axis(a, in.length)] = true;
            }
        }
        return IntStream.range(0, in.length).filter(a -> !drop[a]).mapToLong(a -> in[a]).toArray();
    }

    /** The dims Unsqueeze makes: an axis of size 1 inserted at each given position of the output. */
    public static long[] unsqueezed(long[] in, long[] axes) {
        int rank = in.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            inserted[Shapes.axis(a, rank)] = true;
        }
        long[] out = new long[rank];
        int from = 0;
        for (int a = 0; a < rank; a++) {
            out[a] = inserted[a] ? 1 : in[from++];
        }
        return out;
    }

    /** A Transpose's perm as int axes (reversed when absent), checked to be a permutation of {@code rank} axes. */
    public static int[] permutation(Node node, int rank) {
        if (rank < 0) {
            throw new SpaException(node + " transposes a value of unknown rank");
        }
        long[] perm = node.attrInts("perm");
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int a = 0; a < rank; a++) {
            long axis = perm == null ? rank - 1 - a : a < perm.length ? perm[a] : -1;
            if (axis < 0 || axis >= rank || seen[(int) axis] || (perm != null && perm.length != rank)) {
                throw new InvalidModelException(node + " has perm " + Arrays.toString(perm) + ", not a permutation of "
                        + rank + " axes");
            }
            seen[(int) axis] = true;
            p[a] = (int) axis;
        }
        return p;
    }
}
