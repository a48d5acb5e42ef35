package dev.spa.obspa;

import dev.spa.ir.Node;
import dev.spa.ir.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * Kernel, strides, padding and dilation of a 2-D Conv: what unfolding its input into patches needs.
 * {@code autoPad} is the Conv's auto_pad (NOTSET, SAME_UPPER, SAME_LOWER or VALID); for the SAME
 * modes the padding depends on the input's size, so it is resolved by {@link #forInput}.
 */
public record ConvGeometry(int kh, int kw, int strideH, int strideW, int padTop, int padLeft, int padBottom,
                           int padRight, int dilationH, int dilationW, String autoPad) {
    private static final Set<String> AUTO_PADS = Set.of("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID");

    /** Null for anything but a 2-D Conv. */
    public static ConvGeometry of(Node node, Tensor weight) {
        String autoPad = node.attrString("auto_pad", "NOTSET");
        if (weight.rank() != 4 || !AUTO_PADS.contains(autoPad)) {
            return null;
        }
        long[] s = orDefault(node.attrInts("strides"), 2, 1);
        long[] p = autoPad.equals("NOTSET") ? orDefault(node.attrInts("pads"), 4, 0) : new long[4];
        long[] d = orDefault(node.attrInts("dilations"), 2, 1);
        return new ConvGeometry((int) weight.dim(2), (int) weight.dim(3), (int) s[0], (int) s[1],
                (int) p[0], (int) p[1], (int) p[2], (int) p[3], (int) d[0], (int) d[1], autoPad);
    }

    /** This geometry with explicit pads for an input of h x w (SAME pads: ceil(in / stride) outputs). */
    public ConvGeometry forInput(int h, int w) {
        if (!autoPad.startsWith("SAME")) {
            return this;
        }
        int totalH = samePadding(h, kh, strideH, dilationH);
        int totalW = samePadding(w, kw, strideW, dilationW);
        boolean upper = autoPad.equals("SAME_UPPER");
        int top = upper ? totalH / 2 : totalH - totalH / 2;
        int left = upper ? totalW / 2 : totalW - totalW / 2;
        return new ConvGeometry(kh, kw, strideH, strideW, top, left, totalH - top, totalW - left, dilationH, dilationW, "NOTSET");
    }

    private static int samePadding(int in, int k, int stride, int dilation) {
        int out = (in + stride - 1) / stride;
        return Math.max(0, (out - 1) * stride + (k - 1) * dilation + 1 - in);
    }

    private static long[] orDefault(long[] v, int length, long fallback) {
        if (v != null) {
            return v;
        }
        long[] out = new long[length];
        Arrays.fill(out, fallback);
        return out;
    }

    public int kernelArea() {
        return kh * kw;
    }

    public int outputHeight(int h) {
        return (h + padTop + padBottom - dilationH * (kh - 1) - 1) / strideH + 1;
    }

    public int outputWidth(int w) {
        return (w + padLeft + padRight - dilationW * (kw - 1) - 1) / strideW + 1;
    }
}
