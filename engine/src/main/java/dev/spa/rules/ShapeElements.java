package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Tensor;

import java.util.Arrays;

/**
 * Which elements of a shape computed in the graph copy a tensor's size on some axis: {@code Shape(t)} and its
 * Gather, Slice, Unsqueeze, Squeeze, Cast and Concat, as exporters build Reshape targets ({@code x.view(x.size(0),
 * x.size(1), heads, d)}). Anything else (arithmetic on sizes) is not followed.
 */
final class ShapeElements {
    /** One element: size {@code axis} of {@code tensor}, or neither (null tensor) when it is not a plain copy. */
    record Element(String tensor, int axis) {
        static final Element UNKNOWN = new Element(null, -1);
    }

    private ShapeElements() {
    }

    /** The elements of the 1-D (or scalar) integer value {@code value}, or null where its length is unknown. */
    static Element[] of(Rewrite r, String value) {
        long[] shape = r.original().get(value);
        if (shape == null || shape.length > 1 || (shape.length == 1 && shape[0] < 0)) {
            return null;
        }
        int length = shape.length == 0 ? 1 : (int) shape[0];
        Node n = r.producer(value);
        Element[] found = n == null ? null : switch (n.opType()) {
            case "Shape" -> shape(r, n, length);
            case "Unsqueeze", "Squeeze", "Cast", "Identity" -> of(r, n.input(0));
            case "Gather" -> gather(r, n, length);
            case "Slice" -> slice(r, n);
            case "Concat" -> concat(r, n);
            default -> null;
        };
        if (found != null && found.length == length) {
            return found;
        }
        Element[] unknown = new Element[length];
        Arrays.fill(unknown, Element.UNKNOWN);
        return unknown;
    }

    /** {@code Shape(t)}: size i of t at element i (a Shape with start or end is not followed). */
    private static Element[] shape(Rewrite r, Node n, int length) {
        if (r.original().get(n.input(0)) == null || n.hasAttribute("start") || n.hasAttribute("end")) {
            return null;
        }
        Element[] out = new Element[length];
        for (int i = 0; i < length; i++) {
            out[i] = new Element(n.input(0), i);
        }
        return out;
    }

    private static Element[] gather(Rewrite r, Node n, int length) {
        Element[] data = of(r, n.input(0));
        long[] indices = longs(r, n.input(1));
        if (data == null || indices == null || indices.length != length) {
            return null;
        }
        Element[] out = new Element[length];
        for (int i = 0; i < length; i++) {
            long k = indices[i] < 0 ? indices[i] + data.length : indices[i];
            out[i] = k >= 0 && k < data.length ? data[(int) k] : Element.UNKNOWN;
        }
        return out;
    }

    private static Element[] slice(Rewrite r, Node n) {
        Element[] data = of(r, n.input(0));
        long[] starts = longs(r, n.input(1));
        long[] ends = longs(r, n.input(2));
        boolean unitSteps = !n.hasInput(4) || Arrays.equals(longs(r, n.input(4)), new long[] {1});
        if (data == null || starts == null || ends == null || starts.length != 1 || !unitSteps) {
            return null;
        }
        int from = (int) Math.max(0, Math.min(data.length, starts[0] < 0 ? starts[0] + data.length : starts[0]));
        int to = (int) Math.max(0, Math.min(data.length, ends[0] < 0 ? ends[0] + data.length : ends[0]));
        return Arrays.copyOfRange(data, from, Math.max(from, to));
    }

    private static Element[] concat(Rewrite r, Node n) {
        Element[] out = new Element[0];
        for (String part : n.inputs()) {
            Element[] p = of(r, part);
            if (p == null) {
                return null;
            }
            Element[] joined = Arrays.copyOf(out, out.length + p.length);
            System.arraycopy(p, 0, joined, out.length, p.length);
            out = joined;
        }
        return out;
    }

    private static long[] longs(Rewrite r, String value) {
        Tensor t = r.constant(value);
        return t == null ? null : t.longsOrNull();
    }
}
